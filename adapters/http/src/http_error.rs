//! What a call came to when it did not come to an answer, classified so that an adapter can map
//! it to its port's error without looking at `reqwest` itself.

use reqwest::StatusCode;
use std::fmt;
use std::time::Duration;

/// A failed call: what went wrong, after how many attempts, and the transport error under it.
#[derive(Debug)]
pub struct HttpError {
    kind: ErrorKind,
    attempts: u32,
    source: Option<reqwest::Error>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No answer: the network or the server failed before a whole answer arrived.
    Transport(Transport),
    /// HTTP 429. Transient.
    RateLimited {
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// HTTP 408 or 5xx. Transient.
    Unavailable {
        status: StatusCode,
        retry_after: Option<Duration>,
        body: Vec<u8>,
    },
    /// Any other non-2xx status, from [`Answer::success`](crate::Answer::success). Permanent:
    /// the same request would be refused again.
    Refused { status: StatusCode, body: Vec<u8> },
    /// The body is longer than the client's cap; it was not read. Permanent.
    BodyTooLarge { limit: usize },
    /// A whole body that is not what was expected (not JSON, or not of the expected shape).
    /// Permanent: asking again would get the same body.
    MalformedBody { reason: String },
    /// The circuit breaker is open: no request was sent.
    CircuitOpen,
}

/// How the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Connecting or the whole attempt took longer than the timeout. Transient.
    TimedOut,
    /// The connection was refused or could not be made. Transient.
    Unreachable,
    /// The connection closed before the answer was whole (including no answer at all).
    /// Transient: the next attempt may arrive whole.
    CutOff,
    /// More redirects than allowed. Permanent.
    Redirected,
    /// The request could not be built. Permanent.
    Request,
    /// Anything else the transport reports. Transient.
    Failed,
}

impl HttpError {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            attempts: 1,
            source: None,
        }
    }

    /// Classifies a `reqwest` failure; the URL is dropped from it first, since some APIs put
    /// secrets in the path and the caller's span knows the endpoint anyway.
    pub(crate) fn transport(err: reqwest::Error) -> Self {
        let err = err.without_url();
        let transport = if err.is_timeout() {
            Transport::TimedOut
        } else if err.is_connect() {
            Transport::Unreachable
        } else if err.is_body() || err.is_decode() {
            Transport::CutOff
        } else if err.is_redirect() {
            Transport::Redirected
        } else if err.is_builder() {
            Transport::Request
        } else if err.is_request() {
            // hyper's "connection closed before message completed" and friends.
            Transport::CutOff
        } else {
            Transport::Failed
        };
        Self {
            kind: ErrorKind::Transport(transport),
            attempts: 1,
            source: Some(err),
        }
    }

    pub(crate) fn after(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Attempts made, the failed last one included (0 when the circuit was open).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the failure may pass with time: what is retried, and what a circuit breaker
    /// counts.
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ErrorKind::Transport(transport) => {
                !matches!(transport, Transport::Redirected | Transport::Request)
            }
            ErrorKind::RateLimited { .. } | ErrorKind::Unavailable { .. } => true,
            ErrorKind::Refused { .. }
            | ErrorKind::BodyTooLarge { .. }
            | ErrorKind::MalformedBody { .. }
            | ErrorKind::CircuitOpen => false,
        }
    }

    /// The status of the answer the failure is about, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            ErrorKind::Unavailable { status, .. } | ErrorKind::Refused { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// The body of the answer the failure is about, if there was one (for the server's message).
    pub fn body(&self) -> Option<&[u8]> {
        match &self.kind {
            ErrorKind::RateLimited { body, .. }
            | ErrorKind::Unavailable { body, .. }
            | ErrorKind::Refused { body, .. } => Some(body),
            _ => None,
        }
    }

    /// What the server asked for with `Retry-After` (on 429 and 503 only).
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.kind {
            ErrorKind::RateLimited { retry_after, .. }
            | ErrorKind::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The message and every cause under it on one line: `timed out (error sending request:
    /// operation timed out)`. hyper's "connection closed before message completed" is two
    /// levels down, which is why `Display` alone is not enough for logs.
    pub fn report(&self) -> String {
        let mut report = self.to_string();
        if let Some(source) = &self.source {
            report.push_str(" (");
            report.push_str(&source.to_string());
            let mut cause = std::error::Error::source(source);
            while let Some(inner) = cause {
                report.push_str(": ");
                report.push_str(&inner.to_string());
                cause = inner.source();
            }
            report.push(')');
        }
        report
    }

    /// ` (gave up after 3 attempts)`, to end a message about a transient failure with.
    pub fn gave_up(&self) -> String {
        let attempts = self.attempts;
        format!(
            " (gave up after {attempts} attempt{})",
            if attempts == 1 { "" } else { "s" }
        )
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Transport(Transport::TimedOut) => f.write_str("timed out"),
            ErrorKind::Transport(Transport::Unreachable) => f.write_str("could not be reached"),
            ErrorKind::Transport(Transport::CutOff) => f.write_str("cut its answer off"),
            ErrorKind::Transport(Transport::Redirected) => f.write_str("redirected too often"),
            ErrorKind::Transport(Transport::Request) => f.write_str("could not send the request"),
            ErrorKind::Transport(Transport::Failed) => f.write_str("failed"),
            ErrorKind::RateLimited { .. } => f.write_str("answered HTTP 429"),
            ErrorKind::Unavailable { status, .. } => write!(f, "answered HTTP {}", status.as_u16()),
            ErrorKind::Refused { status, .. } => {
                write!(f, "refused the request with HTTP {}", status.as_u16())
            }
            ErrorKind::BodyTooLarge { limit } => {
                write!(f, "answered a body larger than {limit} bytes")
            }
            ErrorKind::MalformedBody { reason } => write!(f, "answered {reason}"),
            ErrorKind::CircuitOpen => f.write_str("circuit open"),
        }
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|err| err as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_may_pass_are_transient_and_refusals_are_not() {
        let unavailable = HttpError::new(ErrorKind::Unavailable {
            status: StatusCode::SERVICE_UNAVAILABLE,
            retry_after: Some(Duration::from_secs(1)),
            body: b"down".to_vec(),
        });
        assert!(unavailable.is_transient());
        assert_eq!(unavailable.retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(unavailable.body(), Some(&b"down"[..]));
        assert_eq!(unavailable.to_string(), "answered HTTP 503");

        let refused = HttpError::new(ErrorKind::Refused {
            status: StatusCode::BAD_REQUEST,
            body: Vec::new(),
        });
        assert!(!refused.is_transient());
        assert_eq!(refused.status(), Some(StatusCode::BAD_REQUEST));
        assert!(!HttpError::new(ErrorKind::BodyTooLarge { limit: 1 }).is_transient());
    }

    #[test]
    fn the_attempts_are_counted_in_the_message_end() {
        let err = HttpError::new(ErrorKind::CircuitOpen);
        assert_eq!(err.gave_up(), " (gave up after 1 attempt)");
        assert_eq!(err.after(3).gave_up(), " (gave up after 3 attempts)");
    }
}
