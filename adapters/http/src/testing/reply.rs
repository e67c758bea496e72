//! What the double answers to one request, including the failures a network adds.

use std::time::Duration;

/// One scripted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) delay: Duration,
    pub(crate) fault: Option<Fault>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Says nothing for this long, then hangs up.
    Silence(Duration),
    /// Hangs up without answering.
    HangUp,
    /// Declares this many bytes of body, sends the body it has, then hangs up.
    CutOff { declared: usize },
}

/// A complete answer with a JSON content type.
pub fn json(status: u16, body: &str) -> Reply {
    Reply::json(status, body)
}

impl Reply {
    /// A complete answer with a JSON content type.
    pub fn json(status: u16, body: &str) -> Self {
        Self::bytes(status, "application/json; charset=utf-8", body.as_bytes())
    }

    /// A complete answer with a plain-text content type.
    pub fn text(status: u16, body: &str) -> Self {
        Self::bytes(status, "text/plain; charset=utf-8", body.as_bytes())
    }

    /// A complete answer with `content_type`.
    pub fn bytes(status: u16, content_type: &str, body: &[u8]) -> Self {
        Self {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body: body.to_vec(),
            delay: Duration::ZERO,
            fault: None,
        }
    }

    /// Says nothing for `duration`, then hangs up: set it longer than the client's timeout.
    pub fn silence(duration: Duration) -> Self {
        Self::fault(Fault::Silence(duration))
    }

    /// Hangs up without answering.
    pub fn hang_up() -> Self {
        Self::fault(Fault::HangUp)
    }

    /// Declares `declared` bytes of body but sends only `body`, then hangs up.
    pub fn cut_off(status: u16, declared: usize, body: &str) -> Self {
        Self {
            fault: Some(Fault::CutOff { declared }),
            ..Self::json(status, body)
        }
    }

    fn fault(fault: Fault) -> Self {
        Self {
            fault: Some(fault),
            ..Self::bytes(200, "text/plain", b"")
        }
    }

    /// Adds a header (repeat for several).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits `delay` before answering (e.g. so that concurrent calls overlap).
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}
