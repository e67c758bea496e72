//! Firebase Cloud Messaging HTTP v1
//! (<https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send>):
//! `POST /v1/projects/{project}/messages:send` with an OAuth 2.0 bearer token of a service
//! account. Answers that mean the token is no longer valid
//! (<https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode>): `UNREGISTERED` (404),
//! `SENDER_ID_MISMATCH` (403, a token of another project), and `INVALID_ARGUMENT` (400) when it
//! is about `message.token`.

use crate::PushConfigError;
use crate::provider_http::{self, capped, exchange};
use crate::service_account::{AccessTokens, ServiceAccount, TokenError};
use async_trait::async_trait;
use lingo_http::{HttpClient, Url};
use lingo_kernel::Clock;
use lingo_notifications::Device;
use lingo_notifications::ports::{PushMessage, PushOutcome, PushSender};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

pub struct FcmSettings {
    pub project_id: String,
    pub account: ServiceAccount,
    /// `https://fcm.googleapis.com`, or a local double.
    pub base_url: String,
    pub timeout: Duration,
}

pub struct FcmSender {
    http: HttpClient,
    send_url: Url,
    tokens: AccessTokens,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: GoogleError,
}

#[derive(Deserialize)]
struct GoogleError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<Detail>,
}

#[derive(Deserialize)]
struct Detail {
    #[serde(rename = "errorCode", default)]
    error_code: Option<String>,
    #[serde(rename = "fieldViolations", default)]
    field_violations: Vec<FieldViolation>,
}

#[derive(Deserialize)]
struct FieldViolation {
    #[serde(default)]
    field: String,
}

impl FcmSender {
    pub const DEFAULT_BASE_URL: &str = "https://fcm.googleapis.com";

    pub fn new(settings: FcmSettings, clock: Arc<dyn Clock>) -> Result<Self, PushConfigError> {
        if settings.project_id.trim().is_empty() {
            return Err(PushConfigError("the FCM project id is empty".to_owned()));
        }
        let base = provider_http::base_url(&settings.base_url, "the FCM base URL")?;
        let send_url = lingo_http::endpoint(
            &base,
            &["v1", "projects", &settings.project_id, "messages:send"],
        );
        Ok(Self {
            http: provider_http::client(settings.timeout, false, clock)?,
            send_url,
            tokens: AccessTokens::new(settings.account)?,
        })
    }

    async fn deliver(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        let bearer = match self.tokens.get(&self.http).await {
            Ok(bearer) => bearer,
            Err(TokenError::Refused(reason)) => return PushOutcome::Rejected(reason),
            Err(TokenError::Unavailable(reason)) => return PushOutcome::Retryable(reason),
        };
        let body = json!({
            "message": {
                "token": device.token.as_str(),
                "notification": {"title": message.title, "body": message.body},
                "data": {"kind": "reminder", "notification_id": message.notification.to_string()},
                "android": {"priority": "normal", "ttl": "3600s"},
            }
        });
        let request = self
            .http
            .post(self.send_url.clone())
            .bearer_auth(bearer)
            .json(&body);
        let answer = match exchange(&self.http, request).await {
            Ok(answer) => answer,
            Err(reason) => return PushOutcome::Retryable(format!("FCM {reason}")),
        };
        if answer.status.is_success() {
            return PushOutcome::Delivered;
        }
        let status = answer.status.as_u16();
        if status == 401 {
            // Our access token was refused (revoked, clock skew): fetch another next time.
            self.tokens.forget().await;
        }
        interpret(status, &answer.body)
    }
}

/// What a refusal means for the device.
fn interpret(status: u16, body: &[u8]) -> PushOutcome {
    let Ok(ErrorBody { error }) = serde_json::from_slice::<ErrorBody>(body) else {
        let reason = format!("FCM HTTP {status} without its error body");
        return match status {
            404 => PushOutcome::TokenInvalid(reason),
            429 | 500..=599 => PushOutcome::Retryable(reason),
            _ => PushOutcome::Rejected(reason),
        };
    };
    let code = error
        .details
        .iter()
        .find_map(|d| d.error_code.clone())
        .unwrap_or_else(|| error.status.clone());
    let about_token = error
        .details
        .iter()
        .flat_map(|d| &d.field_violations)
        .any(|v| v.field == "message.token")
        || error.message.contains("registration token");
    let reason = capped(&format!("FCM {status} {code}: {}", error.message));
    match (code.as_str(), status) {
        ("UNREGISTERED", _) | ("NOT_FOUND", 404) | ("SENDER_ID_MISMATCH", _) => {
            PushOutcome::TokenInvalid(reason)
        }
        ("INVALID_ARGUMENT", _) if about_token => PushOutcome::TokenInvalid(reason),
        ("UNAVAILABLE" | "INTERNAL" | "QUOTA_EXCEEDED", _) | (_, 429 | 500..=599) => {
            PushOutcome::Retryable(reason)
        }
        // Our access token, refused: forgotten above, the next send fetches another.
        ("UNAUTHENTICATED", 401) => PushOutcome::Retryable(reason),
        _ => PushOutcome::Rejected(reason),
    }
}

#[async_trait]
impl PushSender for FcmSender {
    #[tracing::instrument(name = "push.send", skip_all, fields(provider = "fcm", device_id = %device.id))]
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome {
        self.deliver(device, message).await
    }
}

impl std::fmt::Debug for FcmSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FcmSender")
            .field("send_url", &self.send_url.as_str())
            .finish_non_exhaustive()
    }
}
