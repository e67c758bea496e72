//! Devices, the in-app notification list and the reminder record (migrations
//! `2026-12-04-000500_devices` … `000502_reminder_sends`, `2026-12-06-000700_reminder_sends_day`;
//! docs/reminders.md).

mod devices;
mod notification_list;
mod reminders;
mod retention;

pub use devices::PgDeviceStore;
pub use notification_list::PgNotificationStore;
pub use reminders::PgReminderStore;
pub use retention::PgNotificationRetention;

use lingo_notifications::ports::StoreError;

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}
