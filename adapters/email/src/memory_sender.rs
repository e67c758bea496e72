//! A test double that keeps what it is asked to send, so tests can follow the links.

use async_trait::async_trait;
use lingo_users::Email;
use lingo_users::ports::{EmailError, EmailMessage, EmailSender};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Records every message in order, or fails every send with a fixed error.
#[derive(Debug, Default)]
pub struct MemorySender {
    sent: Mutex<Vec<EmailMessage>>,
    failure: Option<EmailError>,
}

impl MemorySender {
    pub fn new() -> Self {
        Self::default()
    }

    /// A sender whose every send fails with `error` and records nothing.
    pub fn failing(error: EmailError) -> Self {
        Self {
            sent: Mutex::default(),
            failure: Some(error),
        }
    }

    /// Everything sent so far, oldest first.
    pub fn sent(&self) -> Vec<EmailMessage> {
        self.lock().clone()
    }

    /// Every message to `to`, oldest first.
    pub fn sent_to(&self, to: &Email) -> Vec<EmailMessage> {
        self.lock()
            .iter()
            .filter(|m| &m.to == to)
            .cloned()
            .collect()
    }

    /// The latest message to `to`.
    pub fn last_to(&self, to: &Email) -> Option<EmailMessage> {
        self.lock().iter().rev().find(|m| &m.to == to).cloned()
    }

    /// A test that panicked while holding the lock must not hide what was recorded.
    fn lock(&self) -> MutexGuard<'_, Vec<EmailMessage>> {
        self.sent.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl EmailSender for MemorySender {
    async fn send(&self, message: &EmailMessage) -> Result<(), EmailError> {
        if let Some(error) = &self.failure {
            return Err(error.clone());
        }
        self.lock().push(message.clone());
        Ok(())
    }
}

/// The token of the first link in `text` (`…?token=…`), for tests that follow a link.
pub fn token_in(text: &str) -> Option<&str> {
    let start = text.find("token=")? + "token=".len();
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str, text: &str) -> EmailMessage {
        EmailMessage {
            to: Email::parse(to).expect("valid email"),
            subject: "s".to_owned(),
            text: text.to_owned(),
        }
    }

    #[tokio::test]
    async fn memory_sender_records_every_message_in_order() {
        let sender = MemorySender::new();
        sender
            .send(&message("a@example.com", "1"))
            .await
            .expect("sent");
        sender
            .send(&message("b@example.com", "2"))
            .await
            .expect("sent");
        sender
            .send(&message("a@example.com", "3"))
            .await
            .expect("sent");
        let a = Email::parse("a@example.com").expect("valid");
        assert_eq!(sender.sent().len(), 3);
        assert_eq!(sender.sent_to(&a).len(), 2);
        assert_eq!(sender.last_to(&a).map(|m| m.text), Some("3".to_owned()));
    }

    #[tokio::test]
    async fn failing_memory_sender_returns_its_error_and_records_nothing() {
        let error = EmailError::Unavailable("down".to_owned());
        let sender = MemorySender::failing(error.clone());
        assert_eq!(
            sender.send(&message("a@example.com", "1")).await,
            Err(error)
        );
        assert!(sender.sent().is_empty());
    }

    #[test]
    fn the_token_of_a_link_is_found_in_a_text() {
        let text = "open\n\nhttp://x/verify-email?token=abc-_09Z\n\nbye";
        assert_eq!(token_in(text), Some("abc-_09Z"));
        assert_eq!(token_in("no link"), None);
    }
}
