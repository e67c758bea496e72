//! One sender per platform.

use async_trait::async_trait;
use lingo_notifications::ports::{PushMessage, PushOutcome, PushSender};
use lingo_notifications::{Device, Platform};
use std::sync::Arc;

/// Android devices go to `android` (FCM), iOS devices to `ios` (APNs); a platform without a
/// sender is `Unsupported` (the learner still has the in-app notification).
#[derive(Clone, Default)]
pub struct PlatformRouter {
    pub android: Option<Arc<dyn PushSender>>,
    pub ios: Option<Arc<dyn PushSender>>,
}

#[async_trait]
impl PushSender for PlatformRouter {
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        let sender = match device.platform {
            Platform::Android => &self.android,
            Platform::Ios => &self.ios,
        };
        match sender {
            Some(sender) => sender.send(device, message).await,
            None => PushOutcome::Unsupported,
        }
    }
}
