//! Kavenegar (<https://kavenegar.com/rest.html>), the provider for Iranian numbers.

use crate::SmsConfigError;
use crate::provider_http::{self, exchange, scrub};
use async_trait::async_trait;
use lingo_http::{HttpClient, StatusCode, Url};
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Sends through Kavenegar's `sms/send` call. The API key travels in the URL path (that is
/// Kavenegar's design), so it is kept out of every error, log line and `Debug` output.
pub struct KavenegarSender {
    http: HttpClient,
    base_url: Url,
    api_key: String,
    sender: Option<String>,
}

/// The body Kavenegar wraps every answer in, success or failure.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "return")]
    outcome: Outcome,
    #[serde(default)]
    entries: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Outcome {
    status: i64,
    message: String,
}

#[derive(Deserialize)]
struct Entry {
    status: i64,
    #[serde(default)]
    statustext: String,
}

impl KavenegarSender {
    pub const DEFAULT_BASE_URL: &str = "https://api.kavenegar.com";

    /// `sender` is the line number to send from; `None` lets Kavenegar use the account's
    /// default line. `timeout` bounds the whole exchange: a sign-in must not hang on the
    /// provider.
    pub fn new(
        base_url: &str,
        api_key: &str,
        sender: Option<&str>,
        timeout: Duration,
    ) -> Result<Self, SmsConfigError> {
        if api_key.trim().is_empty() {
            return Err(SmsConfigError("the Kavenegar API key is empty".to_owned()));
        }
        Ok(Self {
            http: provider_http::client(timeout)?,
            base_url: provider_http::base_url(base_url)?,
            api_key: api_key.to_owned(),
            sender: sender.map(str::to_owned),
        })
    }

    async fn deliver(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let url =
            provider_http::endpoint(&self.base_url, &["v1", &self.api_key, "sms", "send.json"]);
        // Kavenegar accepts the international digits without the '+'.
        let mut form = vec![
            ("receptor", to.as_str().trim_start_matches('+')),
            ("message", text),
        ];
        if let Some(sender) = &self.sender {
            form.push(("sender", sender));
        }
        let request = self.http.post(url).form(&form);
        let answer = exchange(&self.http, "Kavenegar", request).await?;
        interpret(answer.status, &answer.body)
    }
}

/// Reads Kavenegar's answer. The HTTP status and `return.status` normally agree; when they do
/// not, the more pessimistic of the two wins.
fn interpret(http: StatusCode, body: &[u8]) -> Result<(), SmsError> {
    let envelope = match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => envelope,
        Err(err) if http.is_success() => {
            return Err(SmsError::Unavailable(format!(
                "Kavenegar answered HTTP {} with a body that is not its JSON envelope ({err})",
                http.as_u16()
            )));
        }
        Err(_) => {
            let code = i64::from(http.as_u16());
            return Err(classify(
                code,
                format!("HTTP {code} without a readable body"),
            ));
        }
    };
    let Outcome { status, message } = envelope.outcome;
    if !http.is_success() {
        let code = i64::from(http.as_u16());
        return Err(classify(code, format!("{code} {message}")));
    }
    if status != 200 {
        return Err(classify(status, format!("{status} {message}")));
    }
    match envelope.entries.as_deref() {
        Some([entry, ..]) if refused(entry.status) => Err(SmsError::Rejected(format!(
            "Kavenegar message status {} {}",
            entry.status, entry.statustext
        ))),
        Some([_, ..]) => Ok(()),
        _ => Err(SmsError::Unavailable(
            "Kavenegar confirmed the call but listed no message".to_owned(),
        )),
    }
}

/// 409 (server not ready), 414 (request volume exceeded) and 429 pass with time; other 4xx
/// (bad parameters, key, receptor, sender, credit …) need a person. Server errors and anything
/// unexpected may pass too.
fn classify(code: i64, message: String) -> SmsError {
    let message = format!("Kavenegar {message}");
    match code {
        409 | 414 | 429 => SmsError::Unavailable(message),
        400..=499 => SmsError::Rejected(message),
        _ => SmsError::Unavailable(message),
    }
}

/// Message statuses Kavenegar can report straight away for a message it will not deliver:
/// 6 failed, 11 undelivered, 13 cancelled, 14 blocked by the recipient.
fn refused(entry_status: i64) -> bool {
    matches!(entry_status, 6 | 11 | 13 | 14)
}

#[async_trait]
impl SmsSender for KavenegarSender {
    #[tracing::instrument(name = "sms.send", skip_all, fields(provider = "kavenegar", to = %to))]
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let result = self
            .deliver(to, text)
            .await
            .map_err(|err| scrub(err, to, &[&self.api_key]));
        provider_http::log_outcome(&result);
        result
    }
}

impl fmt::Debug for KavenegarSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KavenegarSender")
            .field("base_url", &self.base_url.as_str())
            .field("api_key", &"[redacted]")
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}
