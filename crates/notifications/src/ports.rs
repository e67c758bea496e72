//! What the notification use cases need from the outside world. One role per trait.

use crate::device::{Device, DeviceId, DeviceRegistration};
use crate::notification::{NewNotification, Notification, NotificationId};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lingo_kernel::UserId;
use lingo_users::LearningProfile;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Unavailable(String),
}

/// The learners' registered devices.
#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Registers the device with this token for `learner`, or refreshes it (version, locale,
    /// `updated_at`) if it is registered. A token is one app on one phone: registered by another
    /// learner (the phone changed hands, or a different account signed in), it moves to this
    /// one. Past `max_per_learner` devices, the least recently registered ones are removed.
    async fn register(
        &self,
        learner: UserId,
        registration: &DeviceRegistration,
        max_per_learner: usize,
        now: DateTime<Utc>,
    ) -> Result<Device, StoreError>;

    /// The learner's devices, most recently registered first.
    async fn of_learner(&self, learner: UserId) -> Result<Vec<Device>, StoreError>;

    /// Removes the learner's device; `false` if they have none with this id.
    async fn remove(&self, learner: UserId, id: DeviceId) -> Result<bool, StoreError>;

    /// Removes the device if it belongs to the account of the sign-in whose refresh token hashes
    /// to `refresh_token_hash` (logout of that device).
    async fn remove_at_logout(
        &self,
        refresh_token_hash: &[u8],
        id: DeviceId,
    ) -> Result<bool, StoreError>;

    /// The push provider said this token is no longer valid: the device is removed, unless it
    /// registered a new token meanwhile.
    async fn unregister(&self, device: &Device) -> Result<(), StoreError>;
}

/// The in-app notification list.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// The learner's notifications older than `before` (all when `None`), newest first.
    async fn page(
        &self,
        learner: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError>;

    /// Marks one read (the first time only); `None` if the learner has none with this id.
    async fn mark_read(
        &self,
        learner: UserId,
        id: NotificationId,
        now: DateTime<Utc>,
    ) -> Result<Option<Notification>, StoreError>;
}

/// A learner whose reminder may be due, with what the rule needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderCandidate {
    pub learner: UserId,
    pub profile: LearningProfile,
    /// Reviews and review time of the learner's current day.
    pub day_reviews: u32,
    pub day_time_ms: i64,
    /// The last learner-day a reminder was recorded for.
    pub last_reminded: Option<NaiveDate>,
}

/// Who is due a reminder, and the record of reminders sent.
#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// Learners with reminders on whose reminder time fell within `grace` before `now`, in
    /// their zone, and who were not reminded for that day: a cheap pre-selection the rule
    /// (`reminder_rule::decide`) has the last word on. Paged by learner id, after `after`.
    async fn candidates(
        &self,
        now: DateTime<Utc>,
        grace: chrono::Duration,
        after: Option<UserId>,
        limit: u32,
    ) -> Result<Vec<ReminderCandidate>, StoreError>;

    /// Records the learner's reminder for `day` and its in-app notification, in one
    /// transaction. `false` if a reminder was already recorded for that day (a rerun of the
    /// job, or a second scheduler): nothing is written then, and nothing must be pushed.
    async fn record(
        &self,
        learner: UserId,
        day: NaiveDate,
        notification: &NewNotification,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// A push to one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// The in-app notification it announces (sent as data, so the app can open it).
    pub notification: NotificationId,
}

/// What the provider made of one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Accepted for delivery.
    Delivered,
    /// The token is no longer valid (app uninstalled, token rotated, wrong app): the device
    /// must be unregistered.
    TokenInvalid(String),
    /// Failed in a way that may pass (provider down, rate limited, timeout).
    Retryable(String),
    /// Refused for a reason of ours (credentials, payload, configuration): a person must look.
    Rejected(String),
    /// No sender is configured for the device's platform.
    Unsupported,
}

/// Sends pushes: FCM, APNs, the development log sender, or a router over them by platform.
#[async_trait]
pub trait PushSender: Send + Sync {
    async fn send(&self, device: &Device, message: &PushMessage) -> PushOutcome;
}
