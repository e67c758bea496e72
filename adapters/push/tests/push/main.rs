//! The push adapters against local servers replaying the answers FCM and APNs document,
//! including the "token no longer valid" ones that unregister a device.

mod apns;
mod fcm;
mod h2_double;

use chrono::Utc;
use lingo_kernel::LanguageCode;
use lingo_kernel::client_version::ClientVersion;
use lingo_notifications::ports::PushMessage;
use lingo_notifications::{Device, DeviceId, NotificationId, Platform, PushToken};

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/push/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture readable")
}

pub fn device(platform: Platform, token: &str) -> Device {
    Device {
        id: DeviceId::new(),
        platform,
        token: PushToken::parse(token).expect("valid token"),
        app_version: ClientVersion::new(1, 4, 0),
        locale: LanguageCode::parse("fa").expect("valid"),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

pub fn message() -> PushMessage {
    PushMessage {
        title: "وقت مرور واژه‌هاست".to_owned(),
        body: "امروز 3 از 20 مرور".to_owned(),
        notification: NotificationId::new(),
    }
}
