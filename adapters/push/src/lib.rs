//! Adapters for the [`PushSender`](lingo_notifications::ports::PushSender) port.
//!
//! - [`FcmSender`]: Firebase Cloud Messaging HTTP v1, authorised by an OAuth 2.0 access token
//!   exchanged for a service account's RS256-signed JWT ([`ServiceAccount`]).
//! - [`ApnsSender`]: Apple Push Notification service over HTTP/2 with a provider token (an
//!   ES256 JWT of a `.p8` key, its key id and the team id).
//! - [`LogSender`]: a developer's machine; sends nothing. [`MemorySender`]: tests.
//! - [`PlatformRouter`]: one sender per platform (Android → FCM, iOS → APNs).
//!
//! Tokens address a person's phone: logs carry them masked only. Every provider answer that
//! means "this token is no longer valid" is `PushOutcome::TokenInvalid`, which unregisters the
//! device.

mod apns;
mod fcm;
mod log_sender;
mod memory_sender;
mod provider_http;
mod router;
mod service_account;

pub use apns::{ApnsSender, ApnsSettings};
pub use fcm::{FcmSender, FcmSettings};
pub use log_sender::LogSender;
pub use memory_sender::MemorySender;
pub use router::PlatformRouter;
pub use service_account::ServiceAccount;

/// A sender that cannot be built from its configuration: found at start-up, not per push.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid push configuration: {0}")]
pub struct PushConfigError(pub String);
