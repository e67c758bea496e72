//! Devices, push and reminders: the learner's registered devices (platform, push token, app
//! version, locale), the `PushSender` port, the in-app notification list, and the daily study
//! reminder — a pure rule (`reminder_rule`) applied by a scheduled job (`send_reminders`).
//! See `docs/reminders.md`.

pub mod device;
pub mod manage_devices;
pub mod notification;
pub mod notification_list;
pub mod ports;
pub mod purge_notifications;
pub mod reminder_rule;
pub mod reminder_text;
pub mod send_reminders;

pub use device::{Device, DeviceError, DeviceId, DeviceRegistration, Platform, PushToken};
pub use notification::{Notification, NotificationId, NotificationKind};
