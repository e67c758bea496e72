//! The one outbound-HTTP crate: every adapter that calls an external API over HTTP (dictionary
//! providers, the LLM, SMS providers, Google's keys, and later push, speech and email) builds
//! its client here, so timeouts, the user agent, retries with backoff and `Retry-After`, the body
//! cap, the circuit breaker and the classification of failures are written once.
//!
//! An adapter keeps what is its own: the URL and body of its request, what an answer's status
//! and body mean for its port, and the wording of its port's errors.
//!
//! With the `testing` feature, [`testing`] has a local HTTP double that replays recorded
//! responses, for the adapters' tests. See `docs/outbound-http.md`.

mod base_url;
mod capped_body;
mod circuit_breaker;
mod http_client;
mod http_error;
mod http_settings;
mod retry_after;
#[cfg(feature = "testing")]
pub mod testing;

pub use base_url::{endpoint, parse_base_url};
pub use capped_body::read_capped;
pub use circuit_breaker::{CircuitBreaker, CircuitOpen, CircuitState, Permit};
pub use http_client::{Answer, BuildError, HttpClient};
pub use http_error::{ErrorKind, HttpError, Transport};
pub use http_settings::{HttpSettings, default_user_agent};
/// The client's request type, for adapters that add headers, auth or a body.
pub use reqwest::{Method, RequestBuilder, StatusCode, Url, header};
pub use retry_after::{parse_retry_after, retry_delay};
