//! SMTP submission with `lettre`: one connection per message (sign-up, reset and change mails
//! are rare), every step bounded in time.

use crate::EmailConfigError;
use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lingo_users::ports::{EmailError, EmailMessage, EmailSender};
use std::time::Duration;

/// How the connection to the server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text, then `STARTTLS`, required: a server that does not offer it gets nothing
    /// (port 587).
    StartTls,
    /// TLS from the first byte ("SMTPS", port 465).
    Tls,
    /// Plain text throughout: only for a relay on the same host or a test server.
    None,
}

impl SmtpTls {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// User and password for `AUTH`; `None` for a relay that needs none.
    pub credentials: Option<(String, String)>,
    /// The `From` of every message, e.g. `Lingo <no-reply@lingo.example>`.
    pub from: String,
    /// The longest any one SMTP step (connect, each command) may take.
    pub command_timeout: Duration,
    /// The longest a whole delivery may take.
    pub send_timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    send_timeout: Duration,
}

impl SmtpSender {
    pub fn new(settings: &SmtpSettings) -> Result<Self, EmailConfigError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| EmailConfigError(format!("the from address is invalid: {e}")))?;
        let tls_parameters = || {
            TlsParameters::new(settings.host.clone())
                .map_err(|e| EmailConfigError(format!("TLS for {}: {e}", settings.host)))
        };
        let tls = match settings.tls {
            SmtpTls::StartTls => Tls::Required(tls_parameters()?),
            SmtpTls::Tls => Tls::Wrapper(tls_parameters()?),
            SmtpTls::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.command_timeout));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
            send_timeout: settings.send_timeout,
        })
    }
}

/// A 5xx answer refuses this message for good; anything else (4xx, network, TLS, a timeout)
/// may work later.
fn classify(error: &lettre::transport::smtp::Error) -> EmailError {
    if error.is_permanent() {
        EmailError::Rejected(error.to_string())
    } else {
        EmailError::Unavailable(error.to_string())
    }
}

#[async_trait]
impl EmailSender for SmtpSender {
    #[tracing::instrument(name = "email.send", skip_all, fields(provider = "smtp"))]
    async fn send(&self, message: &EmailMessage) -> Result<(), EmailError> {
        let to: Mailbox =
            message.to.as_str().parse().map_err(|e| {
                EmailError::Rejected(format!("the recipient is not an address: {e}"))
            })?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(message.text.clone())
            .map_err(|e| EmailError::Rejected(format!("the message cannot be built: {e}")))?;
        match tokio::time::timeout(self.send_timeout, self.transport.send(email)).await {
            Ok(Ok(_)) => {
                tracing::info!("email handed to the SMTP server");
                Ok(())
            }
            Ok(Err(e)) => Err(classify(&e)),
            Err(_) => Err(EmailError::Unavailable(format!(
                "no answer from the SMTP server within {} ms",
                self.send_timeout.as_millis()
            ))),
        }
    }
}
