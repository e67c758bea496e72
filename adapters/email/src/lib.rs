//! Adapters for the users' [`EmailSender`](lingo_users::ports::EmailSender) port.
//!
//! [`SmtpSender`] delivers through an SMTP server (a relay or a provider's submission port)
//! with `lettre`; [`LogSender`] is for a developer's machine and [`MemorySender`] for tests.
//! Neither of the last two lets anything leave the process.

mod log_sender;
mod memory_sender;
mod smtp;

pub use log_sender::LogSender;
pub use memory_sender::{MemorySender, token_in};
pub use smtp::{SmtpSender, SmtpSettings, SmtpTls};

/// A sender that cannot be built from its configuration: found at start-up, not per message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid email configuration: {0}")]
pub struct EmailConfigError(String);
