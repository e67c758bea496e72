//! `notifications`: the in-app list, newest first (ids are UUIDv7), and its export section.

use super::unavailable;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_notifications::ports::{NotificationStore, StoreError};
use lingo_notifications::{Notification, NotificationId, NotificationKind};
use lingo_users::export_account::ExportSection;
use lingo_users::ports::Unavailable;
use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(QueryableByName)]
struct NotificationRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    body: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    read_at: Option<DateTime<Utc>>,
}

impl NotificationRow {
    fn into_notification(self) -> Result<Notification, StoreError> {
        let kind = NotificationKind::parse(&self.kind).ok_or_else(|| {
            StoreError::Unavailable(format!("corrupt notification {}: kind", self.id))
        })?;
        Ok(Notification {
            id: NotificationId::from_uuid(self.id),
            kind,
            title: self.title,
            body: self.body,
            created_at: self.created_at,
            read_at: self.read_at,
        })
    }
}

#[derive(Clone)]
pub struct PgNotificationStore {
    pool: PgPool,
}

impl PgNotificationStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl NotificationStore for PgNotificationStore {
    async fn page(
        &self,
        learner: UserId,
        before: Option<NotificationId>,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<NotificationRow> = sql_query(
            "SELECT id, kind, title, body, created_at, read_at FROM notifications \
             WHERE user_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind::<SqlUuid, _>(learner.as_uuid())
        .bind::<Nullable<SqlUuid>, _>(before.map(|id| id.as_uuid()))
        .bind::<BigInt, _>(i64::from(limit))
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        rows.into_iter()
            .map(NotificationRow::into_notification)
            .collect()
    }

    async fn mark_read(
        &self,
        learner: UserId,
        id: NotificationId,
        now: DateTime<Utc>,
    ) -> Result<Option<Notification>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<NotificationRow> = sql_query(
            "UPDATE notifications SET read_at = coalesce(read_at, $3) \
             WHERE id = $1 AND user_id = $2 \
             RETURNING id, kind, title, body, created_at, read_at",
        )
        .bind::<SqlUuid, _>(id.as_uuid())
        .bind::<SqlUuid, _>(learner.as_uuid())
        .bind::<Timestamptz, _>(now)
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        rows.into_iter()
            .next()
            .map(NotificationRow::into_notification)
            .transpose()
    }
}

/// The learner's in-app notifications (oldest first) and the learner-days a reminder was sent
/// for, for the account export.
const NOTIFICATIONS_EXPORT: &str = r#"
SELECT json_build_object(
  'notifications', COALESCE((
    SELECT json_agg(json_build_object(
      'id', n.id, 'kind', n.kind, 'title', n.title, 'body', n.body,
      'created_at', n.created_at, 'read_at', n.read_at) ORDER BY n.id)
    FROM notifications n WHERE n.user_id = $1), '[]'),
  'reminders_sent', COALESCE((
    SELECT json_agg(json_build_object('day', s.day, 'sent_at', s.sent_at) ORDER BY s.day)
    FROM reminder_sends s WHERE s.user_id = $1), '[]'))::text AS document
"#;

#[async_trait]
impl ExportSection for PgNotificationStore {
    #[tracing::instrument(name = "export.notifications", skip(self), fields(user = %user))]
    async fn export(&self, user: UserId) -> Result<Map<String, Value>, Unavailable> {
        crate::learning::json_section(&self.pool, NOTIFICATIONS_EXPORT, user).await
    }
}
