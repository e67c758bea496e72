//! One POST to the chat-completions endpoint with everything around it: a timeout per attempt,
//! retries with backoff on 429, 5xx and network failures (honouring `Retry-After`), a capped
//! read of the body and the translation of HTTP failures into [`GeneratorError`]s.
//!
//! What is retried: 408, 429, 5xx, timeouts, refused or reset connections and bodies cut off
//! mid-way; all of them may pass with time. What is not: 401 and 403 (the key is wrong), 404
//! (no such model or endpoint) and other 4xx (the request itself is refused, e.g. a server
//! without `json_schema` support): the same request would be refused again.

use crate::BuildError;
use crate::llm_settings::LlmSettings;
use crate::prompt_template::cap_chars;
use chrono::Utc;
use lingo_content::ports::GeneratorError;
use lingo_kernel::retry_delay::{parse_retry_after, retry_delay};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Client, Response, StatusCode, Url};
use serde::Deserialize;
use std::time::Duration;

/// A completion is a few kilobytes; a body much larger is not one.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// How much of a server's error message is kept.
const MAX_MESSAGE_CHARS: usize = 500;

#[derive(Debug)]
pub(crate) struct ChatTransport {
    client: Client,
    url: Url,
    api_key: Option<ApiKey>,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

/// The key, kept out of `Debug` output (and so out of logs).
struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What one attempt came to.
enum Attempt {
    /// The server answered; retrying would get the same answer.
    Answered(Result<Vec<u8>, GeneratorError>),
    /// Worth another attempt, after `retry_after` if the server said so.
    Failed {
        reason: String,
        retry_after: Option<Duration>,
    },
}

impl ChatTransport {
    pub(crate) fn new(settings: &LlmSettings, url: Url) -> Result<Self, BuildError> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let client = Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!("Lingo/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .build()
            .map_err(|err| BuildError::Client(err.to_string()))?;
        Ok(Self {
            client,
            url,
            api_key: settings.key().map(|key| ApiKey(key.to_owned())),
            max_attempts: settings.max_attempts,
            base_delay: settings.base_delay,
            max_delay: settings.max_delay,
        })
    }

    /// The body of a 2xx answer to `POST url` with `body`.
    pub(crate) async fn post(&self, body: &serde_json::Value) -> Result<Vec<u8>, GeneratorError> {
        let mut attempt = 1;
        loop {
            match self.attempt(body).await {
                Attempt::Answered(result) => return result,
                Attempt::Failed {
                    reason,
                    retry_after,
                } if attempt < self.max_attempts => {
                    let delay = retry_delay(attempt, self.base_delay, self.max_delay, retry_after);
                    tracing::debug!(attempt, ?delay, %reason, "chat completion failed; retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Attempt::Failed { reason, .. } => {
                    let message = format!(
                        "the chat-completions server {reason} (gave up after {attempt} attempt{})",
                        if attempt == 1 { "" } else { "s" }
                    );
                    tracing::warn!(error = %message, "generator unavailable");
                    return Err(GeneratorError::Unavailable(message));
                }
            }
        }
    }

    async fn attempt(&self, body: &serde_json::Value) -> Attempt {
        let mut request = self.client.post(self.url.clone()).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(&key.0);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return transport_failure(err),
        };
        let status = response.status();
        let retry_after = retry_after(&response, status);
        let body = match read_body(response).await {
            Ok(body) => body,
            Err(attempt) => return attempt,
        };
        match status.as_u16() {
            200..=299 => Attempt::Answered(Ok(body)),
            408 | 429 | 500..=599 => Attempt::Failed {
                reason: format!("answered HTTP {}{}", status.as_u16(), said(&body)),
                retry_after,
            },
            code @ (401 | 403) => Attempt::Answered(Err(GeneratorError::Misconfigured(format!(
                "authentication failed (HTTP {code}){}: check the API key",
                said(&body)
            )))),
            404 => Attempt::Answered(Err(GeneratorError::Misconfigured(format!(
                "no such model or endpoint (HTTP 404){}: check base_url and model",
                said(&body)
            )))),
            code => Attempt::Answered(Err(GeneratorError::Malformed(format!(
                "the server refused the request (HTTP {code}){}",
                said(&body)
            )))),
        }
    }
}

/// `Retry-After` counts on 429 and 503 only: those are the statuses that define it.
fn retry_after(response: &Response, status: StatusCode) -> Option<Duration> {
    if !matches!(status.as_u16(), 429 | 503) {
        return None;
    }
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, Utc::now())
}

async fn read_body(mut response: Response) -> Result<Vec<u8>, Attempt> {
    let too_large = || {
        Attempt::Answered(Err(GeneratorError::Malformed(format!(
            "the answer is larger than {MAX_BODY_BYTES} bytes, which no completion is"
        ))))
    };
    if response
        .content_length()
        .is_some_and(|declared| declared > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > MAX_BODY_BYTES => return Err(too_large()),
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(err) => return Err(transport_failure(err)),
        }
    }
}

/// The error bodies servers send: OpenAI, vLLM and LM Studio `{"error": {"message": …}}`,
/// Ollama and the llama.cpp server sometimes `{"error": "…"}`, others `{"message": …}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorBody {
    Nested { error: NestedError },
    Flat { error: String },
    Message { message: String },
}

#[derive(Deserialize)]
struct NestedError {
    message: String,
}

/// `: <the server's message>`, or nothing when it sent none.
fn said(body: &[u8]) -> String {
    let message = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody::Nested { error }) => error.message,
        Ok(ErrorBody::Flat { error }) => error,
        Ok(ErrorBody::Message { message }) => message,
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if message.is_empty() {
        String::new()
    } else {
        format!(": {}", cap_chars(&message, MAX_MESSAGE_CHARS))
    }
}

/// Timeouts, refused connections and cut-off bodies may pass with time; a redirect loop or a
/// request that cannot be built will not. The URL is left out: it is in the settings.
fn transport_failure(err: reqwest::Error) -> Attempt {
    let err = err.without_url();
    let what = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not be reached"
    } else if err.is_body() || err.is_decode() {
        "cut its answer off"
    } else if err.is_redirect() {
        "redirected too often"
    } else {
        "failed"
    };
    let reason = format!("{what} ({})", error_chain(&err));
    if err.is_redirect() || err.is_builder() {
        Attempt::Answered(Err(GeneratorError::Unavailable(format!(
            "the chat-completions server {reason}"
        ))))
    } else {
        Attempt::Failed {
            reason,
            retry_after: None,
        }
    }
}

/// The error and its causes on one line (hyper's "connection closed before message completed"
/// is two levels down).
fn error_chain(err: &reqwest::Error) -> String {
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_are_read_from_every_common_shape() {
        let openai = br#"{"error":{"message":"response_format json_schema not supported","type":"invalid_request_error"}}"#;
        assert_eq!(said(openai), ": response_format json_schema not supported");
        assert_eq!(
            said(br#"{"error":"model 'x' not found"}"#),
            ": model 'x' not found"
        );
        assert_eq!(said(br#"{"message":"bad"}"#), ": bad");
        assert_eq!(said(b"Bad Gateway\n"), ": Bad Gateway");
        assert_eq!(said(b""), "");
    }
}
