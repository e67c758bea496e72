//! What both HTTP providers share: a `lingo-http` client per sender (one attempt: an SMS send
//! is not idempotent, a retry could text the user twice), the answer whatever its status, and
//! error strings that are safe to log.

use crate::SmsConfigError;
use lingo_http::{Answer, ErrorKind, HttpClient, HttpError, HttpSettings, RequestBuilder, Url};
use lingo_kernel::SystemClock;
use lingo_users::PhoneNumber;
use lingo_users::ports::SmsError;
use std::sync::Arc;
use std::time::Duration;

pub(crate) use lingo_http::endpoint;

/// Both providers answer with a few hundred bytes; anything much larger is not their answer,
/// and reading it whole would let a broken proxy make us buffer without limit.
pub(crate) const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Provider messages go into our errors and logs; a runaway one must not flood them.
const MAX_MESSAGE_CHARS: usize = 300;

/// One client per sender, reused for every message so connections (and TLS sessions) are kept.
/// Redirects are not followed: neither provider redirects its API, and following one would send
/// our credentials somewhere we did not configure.
pub(crate) fn client(timeout: Duration) -> Result<HttpClient, SmsConfigError> {
    let settings = HttpSettings {
        timeout,
        connect_timeout: timeout,
        max_attempts: 1,
        max_body_bytes: MAX_ANSWER_BYTES,
        max_redirects: 0,
        ..HttpSettings::default()
    };
    HttpClient::new(settings, Arc::new(SystemClock))
        .map_err(|err| SmsConfigError(format!("the HTTP client could not be built: {err}")))
}

/// Parses the configured base URL once, at start-up, so a typo fails the boot, not a sign-in.
pub(crate) fn base_url(raw: &str) -> Result<Url, SmsConfigError> {
    lingo_http::parse_base_url(raw).ok_or_else(|| {
        SmsConfigError("base URL must be an http(s) URL such as https://api.example.com".to_owned())
    })
}

/// Sends the request once and returns the provider's answer, whatever its status (the
/// provider's body says what a 4xx or 5xx means). Every failure to get a whole answer
/// (timeout, refused connection, cut-off body, oversized answer) is `Unavailable`. `provider`
/// names the provider in the error, which may be logged far from this span.
pub(crate) async fn exchange(
    http: &HttpClient,
    provider: &str,
    request: RequestBuilder,
) -> Result<Answer, SmsError> {
    match http.send(request).await {
        Ok(answer) => Ok(answer),
        Err(err) => match answer_of(err) {
            Ok(answer) => Ok(answer),
            Err(err) => Err(unavailable(provider, &err)),
        },
    }
}

/// The provider's answer inside a retryable-status failure (429, 5xx): with one attempt, it
/// is simply the answer.
fn answer_of(err: HttpError) -> Result<Answer, HttpError> {
    match (err.status(), err.body()) {
        (Some(status), Some(body)) => Ok(Answer {
            status,
            headers: Default::default(),
            body: body.to_vec(),
        }),
        _ => Err(err),
    }
}

/// The URL is not in the error (`lingo-http` drops it): Kavenegar puts the API key in the path.
fn unavailable(provider: &str, err: &HttpError) -> SmsError {
    match err.kind() {
        ErrorKind::BodyTooLarge { .. } => SmsError::Unavailable(format!(
            "{provider}'s answer is larger than {MAX_ANSWER_BYTES} bytes, which no real answer is"
        )),
        _ => SmsError::Unavailable(format!("{provider} {}", err.report())),
    }
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
