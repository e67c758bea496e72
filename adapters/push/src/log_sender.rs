//! The sender for a developer's machine, where no provider account exists.

use async_trait::async_trait;
use lingo_notifications::Device;
use lingo_notifications::ports::{PushMessage, PushOutcome, PushSender};

/// **Development only.** Sends nothing: logs the push (title, body, the masked token) at info
/// level and reports it delivered.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSender;

#[async_trait]
impl PushSender for LogSender {
    #[tracing::instrument(name = "push.send", skip_all, fields(provider = "log", device_id = %device.id))]
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        tracing::info!(
            platform = device.platform.as_str(),
            token = %device.token.masked(),
            title = %message.title,
            body = %message.body,
            "push \"sent\" by the development sender (nothing left this machine)"
        );
        PushOutcome::Delivered
    }
}
