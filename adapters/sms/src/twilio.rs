//! Twilio's Programmable Messaging (<https://www.twilio.com/docs/messaging/api/message-resource>),
//! the provider for numbers outside Iran.

use crate::SmsConfigError;
use crate::provider_http::{self, exchange, scrub};
use async_trait::async_trait;
use lingo_http::{HttpClient, StatusCode, Url};
use lingo_users::PhoneNumber;
use lingo_users::ports::{SmsError, SmsSender};
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Creates a Message resource per SMS. The auth token is kept out of every error, log line
/// and `Debug` output.
pub struct TwilioSender {
    http: HttpClient,
    base_url: Url,
    account_sid: String,
    auth_token: String,
    from: String,
}

/// The created Message resource; only what we check.
#[derive(Deserialize)]
struct Created {
    sid: String,
    #[serde(default)]
    status: Option<String>,
}

/// Twilio's error body.
#[derive(Deserialize)]
struct Failure {
    #[serde(default)]
    code: Option<i64>,
    message: String,
}

impl TwilioSender {
    pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";

    /// `from` is the Twilio number (E.164) or messaging-service sender to send from. `timeout`
    /// bounds the whole exchange: a sign-in must not hang on the provider.
    pub fn new(
        base_url: &str,
        account_sid: &str,
        auth_token: &str,
        from: &str,
        timeout: Duration,
    ) -> Result<Self, SmsConfigError> {
        for (name, value) in [("account SID", account_sid), ("auth token", auth_token)] {
            if value.trim().is_empty() {
                return Err(SmsConfigError(format!("the Twilio {name} is empty")));
            }
        }
        Ok(Self {
            http: provider_http::client(timeout)?,
            base_url: provider_http::base_url(base_url)?,
            account_sid: account_sid.to_owned(),
            auth_token: auth_token.to_owned(),
            from: from.to_owned(),
        })
    }

    async fn deliver(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let url = provider_http::endpoint(
            &self.base_url,
            &["2010-04-01", "Accounts", &self.account_sid, "Messages.json"],
        );
        let request = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&[("To", to.as_str()), ("From", &self.from), ("Body", text)]);
        let answer = exchange(&self.http, "Twilio", request).await?;
        interpret(answer.status, &answer.body)
    }
}

fn interpret(http: StatusCode, body: &[u8]) -> Result<(), SmsError> {
    let code = http.as_u16();
    if http.is_success() {
        let created: Created = serde_json::from_slice(body).map_err(|err| {
            SmsError::Unavailable(format!(
                "Twilio answered HTTP {code} with a body that is not a Message resource ({err})"
            ))
        })?;
        return match created.status.as_deref() {
            Some(status @ ("failed" | "undelivered" | "canceled")) => Err(SmsError::Rejected(
                format!("Twilio created message {} as {status}", created.sid),
            )),
            _ if created.sid.is_empty() => Err(SmsError::Unavailable(
                "Twilio answered without a message SID".to_owned(),
            )),
            _ => Ok(()),
        };
    }
    let message = match serde_json::from_slice::<Failure>(body) {
        Ok(Failure {
            code: Some(twilio_code),
            message,
        }) => format!("Twilio {code} (error {twilio_code}): {message}"),
        Ok(Failure {
            code: None,
            message,
        }) => format!("Twilio {code}: {message}"),
        Err(_) => format!("Twilio HTTP {code} without a readable body"),
    };
    // 4xx other than 429 means the request itself is wrong (number, credentials, account):
    // sending it again will not help. 429, 5xx and anything unexpected may pass with time.
    Err(match code {
        429 => SmsError::Unavailable(message),
        400..=499 => SmsError::Rejected(message),
        _ => SmsError::Unavailable(message),
    })
}

#[async_trait]
impl SmsSender for TwilioSender {
    #[tracing::instrument(name = "sms.send", skip_all, fields(provider = "twilio", to = %to))]
    async fn send(&self, to: &PhoneNumber, text: &str) -> Result<(), SmsError> {
        let result = self
            .deliver(to, text)
            .await
            .map_err(|err| scrub(err, to, &[&self.auth_token]));
        provider_http::log_outcome(&result);
        result
    }
}

impl fmt::Debug for TwilioSender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioSender")
            .field("base_url", &self.base_url.as_str())
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"[redacted]")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}
