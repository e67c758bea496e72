//! A learner's device as registered for push: what it is, where to push to, in which language.

use chrono::{DateTime, Utc};
use lingo_kernel::LanguageCode;
use lingo_kernel::client_version::ClientVersion;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use lingo_kernel::DeviceId;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    #[error("'{0}' is not a platform (android or ios)")]
    Platform(String),
    #[error(
        "a push token is 1 to {max} characters of letters, digits, ':', '_', '-' and '.'",
        max = PushToken::MAX_LEN
    )]
    Token,
    #[error("no such device")]
    NotFound,
    #[error("{0}")]
    Unavailable(String),
}

/// Where the device's pushes go: FCM for Android, APNs for iOS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Android,
    Ios,
}

impl Platform {
    pub fn parse(raw: &str) -> Result<Self, DeviceError> {
        match raw {
            "android" => Ok(Self::Android),
            "ios" => Ok(Self::Ios),
            other => Err(DeviceError::Platform(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Android => "android",
            Self::Ios => "ios",
        }
    }
}

/// The provider's address of the app on one device: an FCM registration token or an APNs
/// device token (hex). Only URL-safe characters are accepted, since APNs puts the token in the
/// request path.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PushToken(String);

impl PushToken {
    pub const MAX_LEN: usize = 1024;

    pub fn parse(raw: &str) -> Result<Self, DeviceError> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.');
        if raw.is_empty() || raw.len() > Self::MAX_LEN || !raw.bytes().all(allowed) {
            return Err(DeviceError::Token);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first and last characters, for logs (a token addresses a person's phone).
    pub fn masked(&self) -> String {
        let head: String = self.0.chars().take(6).collect();
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{head}…{tail}")
    }
}

impl fmt::Debug for PushToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for PushToken {
    type Error = DeviceError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PushToken> for String {
    fn from(value: PushToken) -> Self {
        value.0
    }
}

/// What the app sends when it registers (or refreshes) its device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRegistration {
    pub platform: Platform,
    pub token: PushToken,
    pub app_version: ClientVersion,
    /// The app's language, for the text of its pushes.
    pub locale: LanguageCode,
}

/// A registered device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub platform: Platform,
    pub token: PushToken,
    pub app_version: ClientVersion,
    pub locale: LanguageCode,
    pub created_at: DateTime<Utc>,
    /// The last registration of this token (apps register at every start).
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_tokens_are_url_safe_and_bounded() {
        assert!(
            PushToken::parse("a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778")
                .is_ok()
        );
        assert!(PushToken::parse("dGVzdA:APA91bH-x_y.z").is_ok());
        for bad in ["", "a/b", "a b", "a?b", "a%2Fb", "токен"] {
            assert_eq!(PushToken::parse(bad), Err(DeviceError::Token), "{bad}");
        }
        assert!(PushToken::parse(&"a".repeat(PushToken::MAX_LEN)).is_ok());
        assert!(PushToken::parse(&"a".repeat(PushToken::MAX_LEN + 1)).is_err());
    }

    #[test]
    fn a_token_in_debug_output_is_masked() {
        let token = PushToken::parse("abcdef0123456789xyzw").expect("valid");
        assert_eq!(format!("{token:?}"), "abcdef…xyzw");
    }

    #[test]
    fn platforms_are_android_or_ios() {
        assert_eq!(Platform::parse("ios"), Ok(Platform::Ios));
        assert!(Platform::parse("windows-phone").is_err());
    }
}
