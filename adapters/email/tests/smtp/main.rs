//! The SMTP adapter against a real SMTP server process: aiosmtpd (from PyPI, installed into
//! `.dev/venv` by `deploy/local/stack.sh venv`), started on a free port per test.

mod log_sender;

use lingo_email::{SmtpSender, SmtpSettings, SmtpTls};
use lingo_users::Email;
use lingo_users::ports::{EmailError, EmailMessage, EmailSender};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python with aiosmtpd: `LINGO_TEST_PYTHON`, else the repository's `.dev/venv`.
fn python() -> PathBuf {
    std::env::var_os("LINGO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.dev/venv/bin/python"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port()
}

/// One aiosmtpd process and the folder it delivers into; killed when dropped.
struct SmtpServer {
    port: u16,
    dir: PathBuf,
    child: Child,
}

impl SmtpServer {
    fn start(credentials: Option<(&str, &str)>) -> Self {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!(
            "lingo-smtp-{}-{port}-{}",
            std::process::id(),
            Instant::now().elapsed().as_nanos()
        ));
        std::fs::create_dir_all(&dir).expect("mail folder");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/smtp_server.py");
        let mut command = Command::new(python());
        command.arg(&script).arg(port.to_string()).arg(&dir);
        if let Some((user, password)) = credentials {
            command.arg(user).arg(password);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start aiosmtpd with {}: {e}; run `deploy/local/stack.sh venv`",
                    python().display()
                )
            });
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server's first line");
        assert_eq!(
            line.trim(),
            "ready",
            "aiosmtpd did not start (is it installed in {}? run `deploy/local/stack.sh venv`)",
            python().display()
        );
        Self { port, dir, child }
    }

    fn settings(&self) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: self.port,
            tls: SmtpTls::None,
            credentials: None,
            from: "Lingo <no-reply@lingo.example>".to_owned(),
            command_timeout: Duration::from_secs(5),
            send_timeout: Duration::from_secs(10),
        }
    }

    /// The envelope, headers and decoded body of every delivered message, in order.
    fn delivered(&self) -> Vec<Value> {
        let mut found = Vec::new();
        for n in 1.. {
            let path = self.dir.join(format!("{n}.json"));
            let Ok(raw) = std::fs::read_to_string(&path) else {
                break;
            };
            found.push(serde_json::from_str(&raw).expect("envelope json"));
        }
        found
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn message(to: &str, subject: &str, text: &str) -> EmailMessage {
    EmailMessage {
        to: Email::parse(to).expect("valid email"),
        subject: subject.to_owned(),
        text: text.to_owned(),
    }
}

#[tokio::test]
async fn a_message_is_delivered_with_its_recipient_subject_body_and_headers() {
    let server = SmtpServer::start(None);
    let sender = SmtpSender::new(&server.settings()).expect("valid settings");
    let text = "Open this link to confirm your address:\n\n\
                http://localhost:8080/verify-email?token=abc_DEF-123\n\nسلام، خوش آمدید\n";

    sender
        .send(&message("sara@example.com", "تأیید نشانی — Lingo", text))
        .await
        .expect("delivered");

    let delivered = server.delivered();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    let mail = &delivered[0];
    assert_eq!(mail["mail_from"], "no-reply@lingo.example");
    assert_eq!(mail["rcpt_tos"], serde_json::json!(["sara@example.com"]));
    assert_eq!(mail["authenticated"], false);
    let headers = &mail["headers"];
    assert_eq!(headers["subject"], "تأیید نشانی — Lingo");
    assert_eq!(headers["from"], "Lingo <no-reply@lingo.example>");
    assert_eq!(headers["to"], "sara@example.com");
    assert!(
        headers["content-type"]
            .as_str()
            .is_some_and(|t| t.starts_with("text/plain") && t.contains("utf-8")),
        "{headers}"
    );
    assert!(headers["date"].is_string(), "{headers}");
    let body = mail["body"].as_str().expect("body").replace("\r\n", "\n");
    assert_eq!(body.trim_end(), text.trim_end());
}

#[tokio::test]
async fn credentials_are_given_to_a_server_that_requires_them() {
    let server = SmtpServer::start(Some(("lingo", "s3cret")));
    let mut settings = server.settings();
    settings.credentials = Some(("lingo".to_owned(), "s3cret".to_owned()));
    let sender = SmtpSender::new(&settings).expect("valid settings");

    sender
        .send(&message("sara@example.com", "hello", "hi\n"))
        .await
        .expect("delivered");

    let delivered = server.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["authenticated"], true);
}

#[tokio::test]
async fn wrong_or_missing_credentials_deliver_nothing() {
    let server = SmtpServer::start(Some(("lingo", "s3cret")));
    let mut settings = server.settings();
    settings.credentials = Some(("lingo".to_owned(), "wrong".to_owned()));
    let wrong = SmtpSender::new(&settings).expect("valid settings");
    let anonymous = SmtpSender::new(&server.settings()).expect("valid settings");

    let with_wrong = wrong.send(&message("sara@example.com", "s", "t\n")).await;
    let without = anonymous
        .send(&message("sara@example.com", "s", "t\n"))
        .await;

    assert!(
        matches!(with_wrong, Err(EmailError::Rejected(_))),
        "{with_wrong:?}"
    );
    assert!(
        matches!(without, Err(EmailError::Rejected(_))),
        "{without:?}"
    );
    assert!(server.delivered().is_empty());
}

#[tokio::test]
async fn a_refused_recipient_is_rejected_not_unavailable() {
    let server = SmtpServer::start(None);
    let sender = SmtpSender::new(&server.settings()).expect("valid settings");

    let result = sender
        .send(&message("nobody@rejected.example", "s", "t\n"))
        .await;

    assert!(matches!(result, Err(EmailError::Rejected(_))), "{result:?}");
    assert!(server.delivered().is_empty());
}

#[tokio::test]
async fn starttls_mode_sends_nothing_to_a_server_that_does_not_offer_it() {
    let server = SmtpServer::start(None);
    let mut settings = server.settings();
    settings.tls = SmtpTls::StartTls;
    let sender = SmtpSender::new(&settings).expect("valid settings");

    let result = sender.send(&message("sara@example.com", "s", "t\n")).await;

    assert!(
        matches!(result, Err(EmailError::Unavailable(_))),
        "{result:?}"
    );
    assert!(server.delivered().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_fails_within_the_timeout() {
    let silent = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = silent.local_addr().expect("address").port();
    let settings = SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        tls: SmtpTls::None,
        credentials: None,
        from: "no-reply@lingo.example".to_owned(),
        command_timeout: Duration::from_millis(300),
        send_timeout: Duration::from_secs(1),
    };
    let sender = SmtpSender::new(&settings).expect("valid settings");
    let started = Instant::now();

    let result = sender.send(&message("sara@example.com", "s", "t\n")).await;

    assert!(
        matches!(result, Err(EmailError::Unavailable(_))),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}

#[tokio::test]
async fn a_closed_port_is_unavailable() {
    let settings = SmtpSettings {
        port: free_port(),
        ..SmtpServer::settings_for_closed_port()
    };
    let sender = SmtpSender::new(&settings).expect("valid settings");

    let result = sender.send(&message("sara@example.com", "s", "t\n")).await;

    assert!(
        matches!(result, Err(EmailError::Unavailable(_))),
        "{result:?}"
    );
}

#[test]
fn an_invalid_from_address_is_found_at_start_up() {
    let settings = SmtpSettings {
        from: "not an address".to_owned(),
        ..SmtpServer::settings_for_closed_port()
    };
    assert!(SmtpSender::new(&settings).is_err());
}

impl SmtpServer {
    fn settings_for_closed_port() -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".to_owned(),
            port: 9,
            tls: SmtpTls::None,
            credentials: None,
            from: "no-reply@lingo.example".to_owned(),
            command_timeout: Duration::from_secs(1),
            send_timeout: Duration::from_secs(2),
        }
    }
}
