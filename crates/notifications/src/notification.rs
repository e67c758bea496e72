//! An in-app notification: what the app lists where push is unavailable (or was missed).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use lingo_kernel::NotificationId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// The daily study reminder.
    Reminder,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reminder => "reminder",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "reminder" => Some(Self::Reminder),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A notification about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
}
