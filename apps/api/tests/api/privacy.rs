//! No password, code, token or phone number in the logs: the api runs with every log line
//! captured, the flows run, and the capture is searched.

use lingo_test_support::TestApp;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs (once per process) a subscriber that records everything at debug level.
fn captured_logs() -> Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let capture = Capture::default();
            let writer = capture.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::DEBUG)
                .with_writer(move || writer.clone())
                .finish();
            let _ = tracing::subscriber::set_global_default(subscriber);
            capture
        })
        .clone()
}

#[tokio::test]
async fn no_secret_or_phone_number_reaches_the_logs() {
    let capture = captured_logs();
    let app = TestApp::spawn_with(&[("LINGO_RATE_LIMIT_AUTH_PER_MINUTE", "1000")]).await;
    let password = "Secret-Passw0rd-7731";
    let phone = "+989127654321";
    app.post_json(
        "/api/v1/auth/register",
        &json!({"email": "logs@example.com", "password": password, "display_name": "L"}),
    )
    .await;
    let link_token = app.emailed_token("logs@example.com");
    let (_, session) = app.verify_email(&link_token).await;
    app.post_json(
        "/api/v1/auth/password/forgot",
        &json!({"email": "logs@example.com"}),
    )
    .await;
    let reset_token = app.emailed_token("logs@example.com");
    app.post_json(
        "/api/v1/auth/login",
        &json!({"email": "logs@example.com", "password": "wrong-Passw0rd-1"}),
    )
    .await;
    app.post_json("/api/v1/auth/phone/request", &json!({"phone": phone}))
        .await;
    let sent = app.sms.sent();
    let code: String = sent[0]
        .1
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    let phone_session: Value = app
        .post_json(
            "/api/v1/auth/phone/verify",
            &json!({"phone": phone, "code": code}),
        )
        .await
        .json()
        .await
        .expect("json");
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": session["refresh_token"]}),
    )
    .await;

    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(
        logs.contains("sign-in code sent"),
        "the flows were logged at all"
    );
    for (what, secret) in [
        ("password", password),
        ("wrong password", "wrong-Passw0rd-1"),
        ("phone number", phone),
        ("phone digits", "9127654321"),
        ("code", code.as_str()),
        ("verification link token", link_token.as_str()),
        ("reset link token", reset_token.as_str()),
        (
            "access token",
            session["access_token"].as_str().expect("token"),
        ),
        (
            "refresh token",
            session["refresh_token"].as_str().expect("token"),
        ),
        (
            "phone session token",
            phone_session["access_token"].as_str().expect("token"),
        ),
    ] {
        assert!(!logs.contains(secret), "the {what} appears in the logs");
    }
}
