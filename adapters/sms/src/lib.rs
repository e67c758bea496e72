//! Adapters for the users' [`SmsSender`](lingo_users::ports::SmsSender) port.
//!
//! Two real providers — [`KavenegarSender`] for Iranian numbers and [`TwilioSender`] for the
//! rest of the world — and two senders that never leave the process: [`LogSender`] for a
//! developer's machine and [`MemorySender`] for tests.
//!
//! Every error string these adapters return is safe to log: API keys and tokens are never in
//! it, and phone numbers appear only in their masked form (`+98…67`).

mod kavenegar;
mod log_sender;
mod memory_sender;
mod provider_http;
mod twilio;

pub use kavenegar::KavenegarSender;
pub use log_sender::LogSender;
pub use memory_sender::MemorySender;
pub use twilio::TwilioSender;

/// A sender that cannot be built from its configuration: found at start-up, not per message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid SMS provider configuration: {0}")]
pub struct SmsConfigError(String);
