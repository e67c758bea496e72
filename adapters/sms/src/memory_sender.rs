//! A test double that keeps what it is asked to send, so tests can read the one-time code.

use async_trait::async_trait;
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Records every `(recipient, text)` pair in order, or fails every send with a fixed error
/// (to test how callers handle a provider that is down or refuses the number).
#[derive(Debug, Default)]
pub struct MemorySender {
    sent: Mutex<Vec<(PhoneNumber, String)>>,
    failure: Option<SmsError>,
}

impl MemorySender {
    pub fn new() -> Self {
        Self::default()
    }

    /// A sender whose every send fails with `error` and records nothing.
    pub fn failing(error: SmsError) -> Self {
        Self {
            sent: Mutex::default(),
            failure: Some(error),
        }
    }

    /// Everything sent so far, oldest first.
    pub fn sent(&self) -> Vec<(PhoneNumber, String)> {
        self.lock().clone()
    }

    /// The text of the latest SMS to `to`, e.g. to read the code a sign-in test must enter.
    pub fn last_text_to(&self, to: &PhoneNumber) -> Option<String> {
        self.lock()
            .iter()
            .rev()
            .find(|(recipient, _)| recipient == to)
            .map(|(_, text)| text.clone())
    }

    /// A test that panicked while holding the lock must not hide what was recorded.
    fn lock(&self) -> MutexGuard<'_, Vec<(PhoneNumber, String)>> {
        self.sent.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl SmsSender for MemorySender {
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        if let Some(error) = &self.failure {
            return Err(error.clone());
        }
        self.lock().push((to.clone(), text.to_owned()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> PhoneNumber {
        PhoneNumber::parse(raw).expect("valid phone number")
    }

    #[tokio::test]
    async fn memory_sender_records_every_message_in_order() {
        let sender = MemorySender::new();
        let (a, b) = (phone("+989121234567"), phone("+14155550100"));

        sender.send(&a, "code 111111").await.expect("sent");
        sender.send(&b, "code 222222").await.expect("sent");
        sender.send(&a, "code 333333").await.expect("sent");

        assert_eq!(
            sender.sent(),
            vec![
                (a.clone(), "code 111111".to_owned()),
                (b.clone(), "code 222222".to_owned()),
                (a.clone(), "code 333333".to_owned()),
            ]
        );
        assert_eq!(sender.last_text_to(&a).as_deref(), Some("code 333333"));
        assert_eq!(sender.last_text_to(&phone("+442071234567")), None);
    }

    #[tokio::test]
    async fn failing_memory_sender_returns_its_error_and_records_nothing() {
        let error = SmsError::Unavailable("down for the test".to_owned());
        let sender = MemorySender::failing(error.clone());

        let result = sender.send(&phone("+989121234567"), "code 123456").await;

        assert_eq!(result, Err(error));
        assert!(sender.sent().is_empty());
    }
}
