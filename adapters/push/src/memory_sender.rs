//! A test double that keeps every push it is asked to send.

use async_trait::async_trait;
use lingo_notifications::Device;
use lingo_notifications::ports::{PushMessage, PushOutcome, PushSender};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Records every `(device, message)` in order and answers `Delivered`, or the outcome set for
/// a token with [`MemorySender::answer`] (to test unregistering and failures).
#[derive(Debug, Default)]
pub struct MemorySender {
    sent: Mutex<Vec<(Device, PushMessage)>>,
    answers: Mutex<HashMap<String, PushOutcome>>,
}

impl MemorySender {
    pub fn new() -> Self {
        Self::default()
    }

    /// Pushes to `token` answer `outcome` from now on.
    pub fn answer(&self, token: &str, outcome: PushOutcome) {
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(token.to_owned(), outcome);
    }

    /// Every push so far, oldest first.
    pub fn sent(&self) -> Vec<(Device, PushMessage)> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(Device, PushMessage)>> {
        self.sent.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl PushSender for MemorySender {
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        self.lock().push((device.clone(), message.clone()));
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(device.token.as_str())
            .cloned()
            .unwrap_or(PushOutcome::Delivered)
    }
}
