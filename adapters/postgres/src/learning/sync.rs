//! The learner's change feed for `GET /sync`: positions from the `sync_stamp` triggers
//! (migration `2026-12-03-000402_sync_changes`), rows loaded by id.

use super::card_row::CardRow;
use super::decks::DeckRow;
use super::unavailable;
use crate::pool::PgPool;
use crate::schema::{cards, decks};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int4, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, sql_query};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_kernel::UserId;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::sync::{Change, ChangeFeed, Changed, Entity, FeedPage, FeedPosition};
use std::collections::HashMap;
use uuid::Uuid;

/// Changes after ($2, $3), of transactions older than every running one, in commit order.
const FEED: &str = r#"
SELECT kind, id, change_txid::text AS txid, change_seq AS seq, version, changed_at FROM (
  SELECT 'deck' AS kind, id, change_txid, change_seq, version, updated_at AS changed_at
    FROM decks WHERE owner_id = $1
  UNION ALL
  SELECT 'card', id, change_txid, change_seq, version, updated_at FROM cards WHERE user_id = $1
  UNION ALL
  SELECT 'profile', id, change_txid, change_seq, version, updated_at FROM users WHERE id = $1
  UNION ALL
  SELECT 'deleted_' || entity, entity_id, change_txid, change_seq, 0, deleted_at
    FROM sync_tombstones WHERE user_id = $1
) c
WHERE (change_txid, change_seq) > ($2::text::xid8, $3)
  AND change_txid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY change_txid, change_seq
LIMIT $4
"#;

#[derive(QueryableByName)]
struct FeedRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    txid: String,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Int4)]
    version: i32,
    #[diesel(sql_type = Timestamptz)]
    changed_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct ProfileRow {
    #[diesel(sql_type = Text)]
    display_name: String,
    #[diesel(sql_type = Jsonb)]
    profile: serde_json::Value,
}

#[derive(Clone)]
pub struct PgChangeFeed {
    pool: PgPool,
}

impl PgChangeFeed {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

async fn load_rows(
    conn: &mut AsyncPgConnection,
    learner: Uuid,
    rows: &[FeedRow],
) -> Result<(HashMap<Uuid, Change>, Option<Change>), LearningStoreError> {
    let ids = |kind: &str| -> Vec<Uuid> {
        rows.iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.id)
            .collect()
    };
    let mut found = HashMap::new();
    let card_ids = ids("card");
    if !card_ids.is_empty() {
        let loaded: Vec<CardRow> = cards::table
            .filter(cards::id.eq_any(&card_ids))
            .filter(cards::user_id.eq(learner))
            .select(CardRow::as_select())
            .load(conn)
            .await
            .map_err(unavailable)?;
        for row in loaded {
            found.insert(row.id, Change::Card(row.into_card()?));
        }
    }
    let deck_ids = ids("deck");
    if !deck_ids.is_empty() {
        let loaded: Vec<DeckRow> = decks::table
            .filter(decks::id.eq_any(&deck_ids))
            .filter(decks::owner_id.eq(learner))
            .select(DeckRow::as_select())
            .load(conn)
            .await
            .map_err(unavailable)?;
        for row in loaded {
            let id = row.id;
            found.insert(id, Change::Deck(row.into_deck()?));
        }
    }
    let profile = if rows.iter().any(|r| r.kind == "profile") {
        let row: ProfileRow = sql_query("SELECT display_name, profile FROM users WHERE id = $1")
            .bind::<SqlUuid, _>(learner)
            .get_result(conn)
            .await
            .map_err(unavailable)?;
        Some(Change::Profile {
            display_name: row.display_name,
            profile: crate::learner_profiles::decode_profile(row.profile)
                .map_err(LearningStoreError::Unavailable)?,
        })
    } else {
        None
    };
    Ok((found, profile))
}

#[async_trait]
impl ChangeFeed for PgChangeFeed {
    async fn changes(
        &self,
        learner: UserId,
        after: Option<FeedPosition>,
        limit: u32,
    ) -> Result<FeedPage, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let after = after.unwrap_or(FeedPosition { txid: 0, seq: -1 });
        let user = learner.as_uuid();
        let mut rows: Vec<FeedRow> = sql_query(FEED)
            .bind::<SqlUuid, _>(user)
            .bind::<Text, _>(after.txid.to_string())
            .bind::<BigInt, _>(after.seq)
            .bind::<BigInt, _>(i64::from(limit) + 1)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        // Rows are read again by id after the feed: one changed in between shows its newer
        // state (its newer position comes in a later page too); one deleted in between is
        // skipped here, its tombstone follows.
        let (mut found, mut profile) = load_rows(&mut conn, user, &rows).await?;
        let mut last = None;
        let mut changes = Vec::with_capacity(rows.len());
        for row in rows {
            let txid = row.txid.parse::<u64>().map_err(unavailable)?;
            last = Some(FeedPosition { txid, seq: row.seq });
            let change = match row.kind.as_str() {
                "deleted_card" => Some(Change::Deleted {
                    entity: Entity::Card,
                    id: row.id,
                }),
                "deleted_deck" => Some(Change::Deleted {
                    entity: Entity::Deck,
                    id: row.id,
                }),
                "profile" => profile.take(),
                _ => found.remove(&row.id),
            };
            if let Some(change) = change {
                changes.push(Changed {
                    change,
                    version: row.version,
                    changed_at: row.changed_at,
                });
            }
        }
        Ok(FeedPage {
            changes,
            last,
            more,
        })
    }
}
