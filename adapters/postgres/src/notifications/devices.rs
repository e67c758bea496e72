//! `devices`: one row per push token, moved to the account that registered it last.

use super::unavailable;
use crate::pool::PgPool;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bytea, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_notifications::ports::{DeviceStore, StoreError};
use lingo_notifications::{Device, DeviceId, DeviceRegistration, Platform, PushToken};
use lingo_users::export_account::ExportSection;
use lingo_users::ports::Unavailable;
use serde_json::{Map, Value};
use uuid::Uuid;

#[derive(QueryableByName)]
struct DeviceRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    platform: String,
    #[diesel(sql_type = Text)]
    push_token: String,
    #[diesel(sql_type = Text)]
    app_version: String,
    #[diesel(sql_type = Text)]
    locale: String,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
}

impl DeviceRow {
    /// Rows were checked when written; one that no longer parses is reported, not skipped.
    fn into_device(self) -> Result<Device, StoreError> {
        let corrupt =
            |what: &str| StoreError::Unavailable(format!("corrupt device row {}: {what}", self.id));
        Ok(Device {
            id: DeviceId::from_uuid(self.id),
            platform: Platform::parse(&self.platform).map_err(|_| corrupt("platform"))?,
            token: PushToken::parse(&self.push_token).map_err(|_| corrupt("push token"))?,
            app_version: self
                .app_version
                .parse()
                .map_err(|_| corrupt("app version"))?,
            locale: lingo_kernel::LanguageCode::parse(&self.locale)
                .map_err(|_| corrupt("locale"))?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: &str = "id, platform, push_token, app_version, locale, created_at, updated_at";

#[derive(Clone)]
pub struct PgDeviceStore {
    pool: PgPool,
}

impl PgDeviceStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DeviceStore for PgDeviceStore {
    async fn register(
        &self,
        learner: UserId,
        registration: &DeviceRegistration,
        max_per_learner: usize,
        now: DateTime<Utc>,
    ) -> Result<Device, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let keep = i64::try_from(max_per_learner).unwrap_or(i64::MAX);
        let row = conn
            .transaction::<DeviceRow, diesel::result::Error, _>(async |conn| {
                // A token that changes account gets a new id: the old owner's id must not
                // follow it.
                let row: DeviceRow = sql_query(format!(
                    "INSERT INTO devices (id, user_id, platform, push_token, app_version, locale, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                     ON CONFLICT (platform, push_token) DO UPDATE SET \
                     id = CASE WHEN devices.user_id = EXCLUDED.user_id THEN devices.id ELSE EXCLUDED.id END, \
                     created_at = CASE WHEN devices.user_id = EXCLUDED.user_id \
                       THEN devices.created_at ELSE EXCLUDED.created_at END, \
                     user_id = EXCLUDED.user_id, app_version = EXCLUDED.app_version, \
                     locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at \
                     RETURNING {COLUMNS}"
                ))
                .bind::<SqlUuid, _>(DeviceId::new().as_uuid())
                .bind::<SqlUuid, _>(learner.as_uuid())
                .bind::<Text, _>(registration.platform.as_str())
                .bind::<Text, _>(registration.token.as_str())
                .bind::<Text, _>(registration.app_version.to_string())
                .bind::<Text, _>(registration.locale.as_str())
                .bind::<Timestamptz, _>(now)
                .get_result(conn)
                .await?;
                sql_query(
                    "DELETE FROM devices WHERE user_id = $1 AND id NOT IN (SELECT id FROM devices \
                     WHERE user_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2)",
                )
                .bind::<SqlUuid, _>(learner.as_uuid())
                .bind::<BigInt, _>(keep)
                .execute(conn)
                .await?;
                Ok(row)
            })
            .await
            .map_err(unavailable)?;
        row.into_device()
    }

    async fn of_learner(&self, learner: UserId) -> Result<Vec<Device>, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<DeviceRow> = sql_query(format!(
            "SELECT {COLUMNS} FROM devices WHERE user_id = $1 ORDER BY updated_at DESC, id DESC"
        ))
        .bind::<SqlUuid, _>(learner.as_uuid())
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        rows.into_iter().map(DeviceRow::into_device).collect()
    }

    async fn remove(&self, learner: UserId, id: DeviceId) -> Result<bool, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let removed = sql_query("DELETE FROM devices WHERE id = $1 AND user_id = $2")
            .bind::<SqlUuid, _>(id.as_uuid())
            .bind::<SqlUuid, _>(learner.as_uuid())
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(removed > 0)
    }

    async fn remove_at_logout(
        &self,
        refresh_token_hash: &[u8],
        id: DeviceId,
    ) -> Result<bool, StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let removed = sql_query(
            "DELETE FROM devices d USING refresh_tokens t \
             WHERE t.token_hash = $1 AND d.user_id = t.user_id AND d.id = $2",
        )
        .bind::<Bytea, _>(refresh_token_hash)
        .bind::<SqlUuid, _>(id.as_uuid())
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        Ok(removed > 0)
    }

    async fn unregister(&self, device: &Device) -> Result<(), StoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        sql_query("DELETE FROM devices WHERE id = $1 AND push_token = $2")
            .bind::<SqlUuid, _>(device.id.as_uuid())
            .bind::<Text, _>(device.token.as_str())
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}

/// The learner's registered devices in the account export. The push token is the provider's
/// credential for the device, so only its platform, app version, locale and times are listed.
const DEVICES_EXPORT: &str = r#"
SELECT json_build_object('devices', COALESCE((
  SELECT json_agg(json_build_object(
    'id', d.id, 'platform', d.platform, 'app_version', d.app_version, 'locale', d.locale,
    'created_at', d.created_at, 'updated_at', d.updated_at) ORDER BY d.created_at, d.id)
  FROM devices d WHERE d.user_id = $1), '[]'))::text AS document
"#;

#[async_trait]
impl ExportSection for PgDeviceStore {
    #[tracing::instrument(name = "export.devices", skip(self), fields(user = %user))]
    async fn export(&self, user: UserId) -> Result<Map<String, Value>, Unavailable> {
        crate::learning::json_section(&self.pool, DEVICES_EXPORT, user).await
    }
}
