//! What both HTTP providers share: one client per sender, a capped read of the answer, and
//! error strings that are safe to log.

use crate::SmsConfigError;
use lingo_users::PhoneNumber;
use lingo_users::ports::SmsError;
use reqwest::{Client, RequestBuilder, StatusCode, Url, redirect};
use std::time::Duration;

/// Both providers answer with a few hundred bytes; anything much larger is not their answer,
/// and reading it whole would let a broken proxy make us buffer without limit.
pub(crate) const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Provider messages go into our errors and logs; a runaway one must not flood them.
const MAX_MESSAGE_CHARS: usize = 300;

/// One client per sender, reused for every message so connections (and TLS sessions) are kept.
/// Redirects are not followed: neither provider redirects its API, and following one would send
/// our credentials somewhere we did not configure.
pub(crate) fn client(timeout: Duration) -> Result<Client, SmsConfigError> {
    Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(redirect::Policy::none())
        .build()
        .map_err(|err| SmsConfigError(format!("the HTTP client could not be built: {err}")))
}

/// Parses the configured base URL once, at start-up, so a typo fails the boot, not a sign-in.
pub(crate) fn base_url(raw: &str) -> Result<Url, SmsConfigError> {
    let url = Url::parse(raw).map_err(|err| SmsConfigError(format!("base URL: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(SmsConfigError(
            "base URL must be an http(s) URL such as https://api.example.com".to_owned(),
        ));
    }
    Ok(url)
}

/// `base` with `segments` appended as path segments, each percent-encoded as needed.
pub(crate) fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// Sends the request and reads at most [`MAX_ANSWER_BYTES`] of the answer. Every transport
/// failure (timeout, refused connection, cut-off body, oversized answer) is `Unavailable`.
/// `provider` names the provider in the error, which may be logged far from this span.
pub(crate) async fn exchange(
    provider: &str,
    request: RequestBuilder,
) -> Result<(StatusCode, Vec<u8>), SmsError> {
    let transport_error = |err| transport_error(provider, err);
    let mut response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    if let Some(declared) = response.content_length()
        && declared > MAX_ANSWER_BYTES as u64
    {
        return Err(too_large(provider));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(too_large(provider));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

fn too_large(provider: &str) -> SmsError {
    SmsError::Unavailable(format!(
        "{provider}'s answer is larger than {MAX_ANSWER_BYTES} bytes, which no real answer is"
    ))
}

/// The URL is dropped from the error first: Kavenegar puts the API key in the path.
fn transport_error(provider: &str, err: reqwest::Error) -> SmsError {
    let err = err.without_url();
    let what = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "answered something unreadable"
    } else {
        "failed"
    };
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    SmsError::Unavailable(format!("{provider} {what} ({detail})"))
}

/// Makes an error safe to log: the secrets are cut out, the recipient's number (in either
/// form a provider may echo it) is masked, and the text is capped in length.
pub(crate) fn scrub(error: SmsError, to: &PhoneNumber, secrets: &[&str]) -> SmsError {
    let clean = |message: String| {
        let masked = to.masked();
        let mut message = message
            .replace(to.as_str(), &masked)
            .replace(to.as_str().trim_start_matches('+'), &masked);
        for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
            message = message.replace(secret, "[redacted]");
        }
        match message.char_indices().nth(MAX_MESSAGE_CHARS) {
            Some((cut, _)) => format!("{}…", &message[..cut]),
            None => message,
        }
    };
    match error {
        SmsError::Rejected(message) => SmsError::Rejected(clean(message)),
        SmsError::Unavailable(message) => SmsError::Unavailable(clean(message)),
    }
}

/// Logs the outcome of a send on the current span (which carries the masked number only).
pub(crate) fn log_outcome(result: &Result<(), SmsError>) {
    match result {
        Ok(()) => tracing::info!("SMS accepted by the provider"),
        Err(SmsError::Rejected(message)) => tracing::warn!(error = %message, "SMS rejected"),
        Err(SmsError::Unavailable(message)) => {
            tracing::warn!(error = %message, "SMS provider unavailable");
        }
    }
}
