//! One POST to the chat-completions endpoint through `lingo-http` (a timeout per attempt,
//! retries with backoff on 408, 429, 5xx and network failures honouring `Retry-After`, a capped
//! body) and the translation of HTTP failures into [`GeneratorError`]s.
//!
//! What is not retried: 401 and 403 (the key is wrong), 404 (no such model or endpoint) and
//! other 4xx (the request itself is refused, e.g. a server without `json_schema` support): the
//! same request would be refused again.

use crate::BuildError;
use crate::llm_settings::LlmSettings;
use crate::prompt_template::cap_chars;
use lingo_content::ports::GeneratorError;
use lingo_http::{ErrorKind, HttpClient, HttpError, Url};
use lingo_kernel::Clock;
use serde::Deserialize;
use std::sync::Arc;

/// How much of a server's error message is kept.
const MAX_MESSAGE_CHARS: usize = 500;

#[derive(Debug)]
pub(crate) struct ChatTransport {
    http: HttpClient,
    url: Url,
    api_key: Option<ApiKey>,
}

/// The key, kept out of `Debug` output (and so out of logs).
struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl ChatTransport {
    pub(crate) fn new(
        settings: &LlmSettings,
        url: Url,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, BuildError> {
        let http = HttpClient::new(settings.http_settings(), clock)
            .map_err(|err| BuildError::Client(err.to_string()))?;
        Ok(Self {
            http,
            url,
            api_key: settings.key().map(|key| ApiKey(key.to_owned())),
        })
    }

    pub(crate) fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.http.set_clock(clock);
    }

    /// The body of a 2xx answer to `POST url` with `body`.
    pub(crate) async fn post(&self, body: &serde_json::Value) -> Result<Vec<u8>, GeneratorError> {
        let mut request = self.http.post(self.url.clone()).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(&key.0);
        }
        let answer = self
            .http
            .send(request)
            .await
            .map_err(|err| unavailable(&err))?;
        let (status, body) = (answer.status.as_u16(), answer.body);
        match status {
            200..=299 => Ok(body),
            401 | 403 => Err(GeneratorError::Misconfigured(format!(
                "authentication failed (HTTP {status}){}: check the API key",
                said(&body)
            ))),
            404 => Err(GeneratorError::Misconfigured(format!(
                "no such model or endpoint (HTTP 404){}: check base_url and model",
                said(&body)
            ))),
            code => Err(GeneratorError::Malformed(format!(
                "the server refused the request (HTTP {code}){}",
                said(&body)
            ))),
        }
    }
}

/// A call that came to no answer. The URL is left out: it is in the settings.
fn unavailable(err: &HttpError) -> GeneratorError {
    if let ErrorKind::BodyTooLarge { limit } = err.kind() {
        return GeneratorError::Malformed(format!(
            "the answer is larger than {limit} bytes, which no completion is"
        ));
    }
    if !err.is_transient() {
        return GeneratorError::Unavailable(format!(
            "the chat-completions server {}",
            err.report()
        ));
    }
    let said = err.body().map(said).unwrap_or_default();
    let message = format!(
        "the chat-completions server {}{said}{}",
        err.report(),
        err.gave_up()
    );
    tracing::warn!(error = %message, "generator unavailable");
    GeneratorError::Unavailable(message)
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
