//! Devices, the in-app notification list and the reminder record (migrations
//! `2026-12-04-000500_devices` … `000502_reminder_sends`; docs/reminders.md).

mod devices;
mod notification_list;
mod reminders;

pub use devices::PgDeviceStore;
pub use notification_list::PgNotificationStore;
pub use reminders::PgReminderStore;

use lingo_notifications::ports::StoreError;

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}
