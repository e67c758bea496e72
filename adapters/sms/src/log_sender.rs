//! The sender for a developer's machine, where no provider account exists.

use async_trait::async_trait;
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};

/// **Development only — never configure it in production** (the app refuses it when
/// `LINGO_ENV=production`).
///
/// Sends nothing: it logs, at info level, that the SMS was "sent" to the masked number, and
/// logs the text itself in the field `dev_sms_text`, because a developer signing in needs the
/// one-time code and has no phone to receive it. That field is exactly what must never reach
/// production logs: the text holds a live sign-in code.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSender;

#[async_trait]
impl SmsSender for LogSender {
    #[tracing::instrument(name = "sms.send", skip_all, fields(provider = "log", to = %to))]
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        tracing::info!("code SMS \"sent\" by the development sender (nothing left this machine)");
        tracing::info!(dev_sms_text = %text, "development SMS text");
        Ok(())
    }
}
