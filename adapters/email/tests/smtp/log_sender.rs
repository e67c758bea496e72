use lingo_email::LogSender;
use lingo_users::Email;
use lingo_users::ports::{EmailMessage, EmailSender};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn log_sender_logs_the_text_for_the_developer_and_sends_nothing() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    LogSender
        .send(&EmailMessage {
            to: Email::parse("sara@example.com").expect("valid"),
            subject: "Confirm".to_owned(),
            text: "http://x/verify-email?token=t0k3n".to_owned(),
        })
        .await
        .expect("sent");

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("dev_email_text=http://x/verify-email?token=t0k3n"),
        "{logs}"
    );
    assert!(logs.contains("nothing left this machine"), "{logs}");
}
