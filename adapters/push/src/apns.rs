//! Apple Push Notification service, token-based
//! (<https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns>):
//! `POST /3/device/{token}` over HTTP/2 with a provider token — an ES256 JWT of the team's
//! `.p8` key (`kid` = key id, `iss` = team id, `iat`), reused for 30 minutes (Apple refuses
//! tokens older than an hour and renewals more often than every 20 minutes). Answers that
//! mean the token is no longer valid
//! (<https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns>):
//! 410 (`Unregistered`, `ExpiredToken`), 400 `BadDeviceToken` and 400
//! `DeviceTokenNotForTopic`.

use crate::PushConfigError;
use crate::provider_http::{self, capped, exchange};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lingo_http::{HttpClient, Url};
use lingo_kernel::Clock;
use lingo_notifications::Device;
use lingo_notifications::ports::{PushMessage, PushOutcome, PushSender};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use tokio::sync::Mutex;

const TOKEN_REUSE: Duration = Duration::minutes(30);

pub struct ApnsSettings {
    /// The `.p8` key's PEM text (an EC P-256 key in PKCS#8).
    pub key_pem: String,
    pub key_id: String,
    pub team_id: String,
    /// The app's bundle id (`apns-topic`).
    pub topic: String,
    /// `https://api.push.apple.com`, `https://api.sandbox.push.apple.com`, or a local double
    /// (`http://…`, spoken as h2c with prior knowledge).
    pub base_url: String,
    pub timeout: std::time::Duration,
}

pub struct ApnsSender {
    http: HttpClient,
    base_url: Url,
    key: EncodingKey,
    key_id: String,
    team_id: String,
    topic: String,
    provider_token: Mutex<Option<(String, DateTime<Utc>)>>,
}

#[derive(Deserialize)]
struct Refusal {
    #[serde(default)]
    reason: String,
}

impl ApnsSender {
    pub const PRODUCTION_URL: &str = "https://api.push.apple.com";
    pub const SANDBOX_URL: &str = "https://api.sandbox.push.apple.com";

    pub fn new(settings: ApnsSettings, clock: Arc<dyn Clock>) -> Result<Self, PushConfigError> {
        let key = EncodingKey::from_ec_pem(settings.key_pem.as_bytes()).map_err(|e| {
            PushConfigError(format!("the APNs key is not an EC (P-256) PEM key: {e}"))
        })?;
        for (value, what) in [
            (&settings.key_id, "the APNs key id"),
            (&settings.team_id, "the APNs team id"),
            (&settings.topic, "the APNs topic"),
        ] {
            if value.trim().is_empty() {
                return Err(PushConfigError(format!("{what} is empty")));
            }
        }
        let base_url = provider_http::base_url(&settings.base_url, "the APNs base URL")?;
        // APNs speaks only HTTP/2: negotiated by ALPN over TLS, assumed over plain HTTP.
        let h2c = base_url.scheme() == "http";
        Ok(Self {
            http: provider_http::client(settings.timeout, h2c, clock)?,
            base_url,
            key,
            key_id: settings.key_id,
            team_id: settings.team_id,
            topic: settings.topic,
            provider_token: Mutex::new(None),
        })
    }

    async fn bearer(&self) -> Result<String, String> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            iat: i64,
        }
        let mut cached = self.provider_token.lock().await;
        let now = self.http.now();
        if let Some((token, issued)) = cached.as_ref()
            && now < *issued + TOKEN_REUSE
        {
            return Ok(token.clone());
        }
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.key_id.clone());
        let token = jsonwebtoken::encode(
            &header,
            &Claims {
                iss: &self.team_id,
                iat: now.timestamp(),
            },
            &self.key,
        )
        .map_err(|e| format!("the APNs provider token could not be signed: {e}"))?;
        *cached = Some((token.clone(), now));
        Ok(token)
    }

    async fn deliver(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        let bearer = match self.bearer().await {
            Ok(bearer) => bearer,
            Err(reason) => return PushOutcome::Rejected(reason),
        };
        let url = lingo_http::endpoint(&self.base_url, &["3", "device", device.token.as_str()]);
        let expires = (self.http.now() + Duration::hours(1)).timestamp();
        let body = json!({
            "aps": {"alert": {"title": message.title, "body": message.body}, "sound": "default"},
            "kind": "reminder",
            "notification_id": message.notification.to_string(),
        });
        let request = self
            .http
            .post(url)
            .header("authorization", format!("bearer {bearer}"))
            .header("apns-topic", &self.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", "5")
            .header("apns-expiration", expires.to_string())
            .json(&body);
        let answer = match exchange(&self.http, request).await {
            Ok(answer) => answer,
            Err(reason) => return PushOutcome::Retryable(format!("APNs {reason}")),
        };
        if answer.status.is_success() {
            return PushOutcome::Delivered;
        }
        let status = answer.status.as_u16();
        let reason = serde_json::from_slice::<Refusal>(&answer.body)
            .map(|r| r.reason)
            .unwrap_or_default();
        if matches!(
            reason.as_str(),
            "ExpiredProviderToken" | "InvalidProviderToken"
        ) {
            *self.provider_token.lock().await = None;
        }
        interpret(status, &reason)
    }
}

fn interpret(status: u16, reason: &str) -> PushOutcome {
    let text = capped(&format!("APNs {status} {reason}"));
    match (status, reason) {
        (410, _) | (400, "BadDeviceToken" | "DeviceTokenNotForTopic") => {
            PushOutcome::TokenInvalid(text)
        }
        // Renewed above; the next push signs a new one.
        (403, "ExpiredProviderToken") => PushOutcome::Retryable(text),
        (429 | 500..=599, _) => PushOutcome::Retryable(text),
        _ => PushOutcome::Rejected(text),
    }
}

#[async_trait]
impl PushSender for ApnsSender {
    #[tracing::instrument(name = "push.send", skip_all, fields(provider = "apns", device_id = %device.id))]
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        self.deliver(device, message).await
    }
}

impl std::fmt::Debug for ApnsSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApnsSender")
            .field("base_url", &self.base_url.as_str())
            .field("key_id", &self.key_id)
            .field("team_id", &self.team_id)
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}
