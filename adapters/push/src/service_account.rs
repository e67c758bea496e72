//! A Google service account and the OAuth 2.0 access tokens it earns: a JWT signed with its
//! private key (RS256, `kid` = the key's id) exchanged at the token endpoint
//! (<https://developers.google.com/identity/protocols/oauth2/service-account#httprest>), kept
//! until shortly before it expires.

use crate::PushConfigError;
use crate::provider_http::{capped, exchange};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lingo_http::{HttpClient, Url};
use serde::{Deserialize, Serialize};
use std::fmt;
use tokio::sync::Mutex;

/// The scope of FCM's send call.
const FCM_SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
/// Tokens are renewed this long before Google says they expire.
const RENEW_BEFORE: Duration = Duration::minutes(5);

/// The fields of a service-account key file that signing needs.
#[derive(Deserialize)]
struct KeyFile {
    client_email: String,
    private_key_id: String,
    private_key: String,
    #[serde(default)]
    token_uri: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
}

/// A service account, read from its JSON key file at start-up.
pub struct ServiceAccount {
    client_email: String,
    key_id: String,
    key: EncodingKey,
    token_uri: String,
    project_id: Option<String>,
}

impl ServiceAccount {
    pub const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

    /// Parses the key file's JSON; the private key must be an RSA key in PEM.
    pub fn from_json(json: &str) -> Result<Self, PushConfigError> {
        let file: KeyFile = serde_json::from_str(json).map_err(|e| {
            PushConfigError(format!("the service account key file is not readable: {e}"))
        })?;
        let key = EncodingKey::from_rsa_pem(file.private_key.as_bytes()).map_err(|e| {
            PushConfigError(format!(
                "the service account's private key is not an RSA PEM key: {e}"
            ))
        })?;
        Ok(Self {
            client_email: file.client_email,
            key_id: file.private_key_id,
            key,
            token_uri: file
                .token_uri
                .unwrap_or_else(|| Self::DEFAULT_TOKEN_URI.to_owned()),
            project_id: file.project_id,
        })
    }

    /// The project of the key file, if it names one.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// Another token endpoint (a local double in tests).
    pub fn with_token_uri(mut self, uri: &str) -> Self {
        uri.clone_into(&mut self.token_uri);
        self
    }

    pub(crate) fn token_uri(&self) -> &str {
        &self.token_uri
    }

    fn assertion(&self, now: DateTime<Utc>) -> Result<String, String> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            scope: &'a str,
            aud: &'a str,
            iat: i64,
            exp: i64,
        }
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.key_id.clone());
        let claims = Claims {
            iss: &self.client_email,
            scope: FCM_SCOPE,
            aud: &self.token_uri,
            iat: now.timestamp(),
            exp: (now + Duration::hours(1)).timestamp(),
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| format!("the service-account JWT could not be signed: {e}"))
    }
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_email", &self.client_email)
            .field("key_id", &self.key_id)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

/// Why no access token could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// The endpoint refused the credentials (a person must fix them).
    Refused(String),
    /// No answer, or a server error: may pass.
    Unavailable(String),
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: i64,
}

#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
    #[serde(default)]
    error_description: String,
}

/// The current access token, shared by every send.
pub(crate) struct AccessTokens {
    account: ServiceAccount,
    token_url: Url,
    cached: Mutex<Option<(String, DateTime<Utc>)>>,
}

impl AccessTokens {
    pub(crate) fn new(account: ServiceAccount) -> Result<Self, PushConfigError> {
        let token_url = crate::provider_http::base_url(account.token_uri(), "the token URI")?;
        Ok(Self {
            account,
            token_url,
            cached: Mutex::new(None),
        })
    }

    /// A valid token: the cached one, or a new one (one exchange at a time).
    pub(crate) async fn get(&self, http: &HttpClient) -> Result<String, TokenError> {
        let mut cached = self.cached.lock().await;
        let now = http.now();
        if let Some((token, expires_at)) = cached.as_ref()
            && now + RENEW_BEFORE < *expires_at
        {
            return Ok(token.clone());
        }
        let assertion = self.account.assertion(now).map_err(TokenError::Refused)?;
        let request = http.post(self.token_url.clone()).form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ]);
        let answer = exchange(http, request)
            .await
            .map_err(|e| TokenError::Unavailable(format!("token endpoint: {e}")))?;
        if answer.status.is_success() {
            let token: TokenAnswer = serde_json::from_slice(&answer.body).map_err(|e| {
                TokenError::Unavailable(format!("token endpoint answered an unreadable body ({e})"))
            })?;
            let expires_at = now + Duration::seconds(token.expires_in.clamp(0, 86_400));
            *cached = Some((token.access_token.clone(), expires_at));
            return Ok(token.access_token);
        }
        let status = answer.status.as_u16();
        let reason = serde_json::from_slice::<TokenRefusal>(&answer.body)
            .map(|r| capped(&format!("{} {}", r.error, r.error_description)))
            .unwrap_or_else(|_| "no readable body".to_owned());
        if status == 429 || status >= 500 {
            Err(TokenError::Unavailable(format!(
                "token endpoint HTTP {status}: {reason}"
            )))
        } else {
            Err(TokenError::Refused(format!(
                "token endpoint HTTP {status}: {reason}"
            )))
        }
    }

    /// Forgets the cached token (FCM said it is not valid any more).
    pub(crate) async fn forget(&self) {
        *self.cached.lock().await = None;
    }
}
