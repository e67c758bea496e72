//! What both providers share: a `lingo-http` client per sender (one attempt: a push is not
//! idempotent, and the job does not retry it either), the answer whatever its status, and
//! provider messages capped before they reach a log.

use crate::PushConfigError;
use lingo_http::{Answer, ErrorKind, HttpClient, HttpError, HttpSettings, RequestBuilder, Url};
use lingo_kernel::Clock;
use std::sync::Arc;
use std::time::Duration;

/// Provider answers are small JSON bodies; anything much larger is not theirs.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
const MAX_MESSAGE_CHARS: usize = 300;

pub(crate) fn client(
    timeout: Duration,
    http2_prior_knowledge: bool,
    clock: Arc<dyn Clock>,
) -> Result<HttpClient, PushConfigError> {
    let settings = HttpSettings {
        timeout,
        connect_timeout: timeout,
        max_attempts: 1,
        max_body_bytes: MAX_ANSWER_BYTES,
        max_redirects: 0,
        http2_prior_knowledge,
        ..HttpSettings::default()
    };
    HttpClient::new(settings, clock)
        .map_err(|e| PushConfigError(format!("the HTTP client could not be built: {e}")))
}

pub(crate) fn base_url(raw: &str, what: &str) -> Result<Url, PushConfigError> {
    lingo_http::parse_base_url(raw)
        .ok_or_else(|| PushConfigError(format!("{what} must be an http(s) URL, not '{raw}'")))
}

/// A whole answer, whatever its status; `Err` with a loggable reason when there was none
/// (timeout, refused connection, cut-off or oversized body).
pub(crate) async fn exchange(http: &HttpClient, request: RequestBuilder) -> Result<Answer, String> {
    match http.send(request).await {
        Ok(answer) => Ok(answer),
        Err(err) => answer_of(err).map_err(|err| match err.kind() {
            ErrorKind::BodyTooLarge { .. } => {
                format!("an answer larger than {MAX_ANSWER_BYTES} bytes")
            }
            _ => err.report(),
        }),
    }
}

/// With one attempt, a retryable status (429, 5xx) is simply the answer.
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

/// A provider's message, capped.
pub(crate) fn capped(message: &str) -> String {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}
