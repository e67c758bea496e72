use lingo_sms::LogSender;
use lingo_users::PhoneNumber;
use lingo_users::ports::SmsSender;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Collects everything the subscriber writes, to assert on the log lines.
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
async fn log_sender_logs_the_text_for_the_developer_but_only_the_masked_number() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let phone = PhoneNumber::parse("+989121234567").expect("valid phone number");

    LogSender.send(&phone, "code 654321").await.expect("sent");

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(logs.contains("dev_sms_text=code 654321"), "{logs}");
    assert!(logs.contains("+98…67"), "{logs}");
    assert!(
        !logs.contains("9121234567"),
        "the full number leaked: {logs}"
    );
}
