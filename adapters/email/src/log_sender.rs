//! The sender for a developer's machine, where no mail server exists.

use async_trait::async_trait;
use lingo_users::ports::{EmailError, EmailMessage, EmailSender};

/// **Development only — never configure it in production** (the app refuses it when
/// `LINGO_ENV=production`).
///
/// Sends nothing: it logs that the email was "sent", with its subject, and logs the text in the
/// field `dev_email_text`, because a developer signing up needs the link and has no mailbox.
/// That field is exactly what must never reach production logs: it holds live sign-in and
/// password-reset links.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSender;

#[async_trait]
impl EmailSender for LogSender {
    #[tracing::instrument(name = "email.send", skip_all, fields(provider = "log"))]
    async fn send(&self, message: &EmailMessage) -> Result<(), EmailError> {
        tracing::info!(
            subject = %message.subject,
            "email \"sent\" by the development sender (nothing left this machine)"
        );
        tracing::info!(dev_email_text = %message.text, "development email text");
        Ok(())
    }
}
