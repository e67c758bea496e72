//! Candidates of the study queue: three indexed reads, today's counts from the per-quarter-hour
//! counters, and an indexed probe for the words studied today.

use super::card_row::CardRow;
use super::cards::PgCardStore;
use super::unavailable;
use crate::schema::{cards, words};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::{DeckId, UserId, WordId};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::study_queue::{Candidates, WordSummary};
use std::collections::HashSet;
use uuid::Uuid;

impl PgCardStore {
    /// Cards due now by kind, and new cards, for what a session leaves for today: one
    /// statement, each count stopping at its cap (a learner with 20,000 due cards and room for
    /// 200 reads 200 index entries, not 20,000 rows).
    pub(super) async fn due(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        at_most: lingo_learning::study_session::DueCounts,
    ) -> Result<lingo_learning::study_session::DueCounts, LearningStoreError> {
        use diesel::sql_types::{BigInt, Nullable, Timestamptz, Uuid as SqlUuid};
        #[derive(diesel::QueryableByName)]
        struct Counts {
            #[diesel(sql_type = BigInt)]
            reviews: i64,
            #[diesel(sql_type = BigInt)]
            learning: i64,
            #[diesel(sql_type = BigInt)]
            new: i64,
        }
        const DUE: &str = "FROM cards WHERE user_id = $1 AND NOT suspended \
               AND (buried_until IS NULL OR buried_until <= $2) \
               AND ($3::uuid IS NULL OR deck_id = $3)";
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let counts: Counts = diesel::sql_query(format!(
            "SELECT \
               (SELECT count(*) FROM (SELECT 1 {DUE} AND state = 'review' AND due <= $2 LIMIT $4) r) AS reviews, \
               (SELECT count(*) FROM (SELECT 1 {DUE} AND state <> 'review' AND last_review IS NOT NULL AND due <= $2 LIMIT $5) l) AS learning, \
               (SELECT count(*) FROM (SELECT 1 {DUE} AND last_review IS NULL LIMIT $6) n) AS new"
        ))
        .bind::<SqlUuid, _>(owner.as_uuid())
        .bind::<Timestamptz, _>(now)
        .bind::<Nullable<SqlUuid>, _>(deck.map(|d| d.as_uuid()))
        .bind::<BigInt, _>(i64::from(at_most.reviews))
        .bind::<BigInt, _>(i64::from(at_most.learning))
        .bind::<BigInt, _>(i64::from(at_most.new))
        .get_result(&mut conn)
        .await
        .map_err(unavailable)?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(lingo_learning::study_session::DueCounts {
            reviews: count(counts.reviews),
            learning: count(counts.learning),
            new: count(counts.new),
        })
    }

    pub(super) async fn candidates(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        day_start: DateTime<Utc>,
        limit: u32,
    ) -> Result<Candidates, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let user = owner.as_uuid();
        let base = || {
            let mut q = cards::table
                .filter(cards::user_id.eq(user))
                .filter(cards::suspended.eq(false))
                .filter(
                    cards::buried_until
                        .is_null()
                        .or(cards::buried_until.le(now)),
                )
                .select(CardRow::as_select())
                .into_boxed();
            if let Some(deck) = deck {
                q = q.filter(cards::deck_id.eq(deck.as_uuid()));
            }
            q
        };
        let fetch = i64::from(limit.clamp(1, 500)) * 4;
        let rows = |rows: Vec<CardRow>| {
            rows.into_iter()
                .map(CardRow::into_card)
                .collect::<Result<Vec<_>, _>>()
        };
        let reviews = rows(
            base()
                .filter(cards::state.eq("review"))
                .filter(cards::due.le(now))
                .order(cards::due)
                .limit(fetch)
                .load(&mut conn)
                .await
                .map_err(unavailable)?,
        )?;
        let learning = rows(
            base()
                .filter(cards::state.ne("review"))
                .filter(cards::last_review.is_not_null())
                .filter(cards::due.le(now))
                .order(cards::due)
                .limit(fetch)
                .load(&mut conn)
                .await
                .map_err(unavailable)?,
        )?;
        let new = rows(
            base()
                .filter(cards::last_review.is_null())
                .order(cards::created_at)
                .limit(fetch)
                .load(&mut conn)
                .await
                .map_err(unavailable)?,
        )?;
        // Today's counts, and which of the candidates' words were studied today (siblings).
        #[derive(diesel::QueryableByName)]
        struct Today {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            total: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            new: i64,
        }
        // The buckets the trigger of migration 2026-12-03-000300 keeps, from the first quarter
        // hour wholly inside the day; the logs of a day starting off a quarter hour (no time
        // zone does today) before it are counted one by one.
        let today: Today = diesel::sql_query(
            "WITH edge AS (SELECT review_log_bucket($2 + interval '15 minutes' - interval '1 microsecond') AS at) \
             SELECT coalesce(sum(total), 0)::bigint AS total, coalesce(sum(new_cards), 0)::bigint AS new FROM ( \
               SELECT c.total, c.new_cards FROM review_log_counts c, edge \
                WHERE c.user_id = $1 AND c.bucket >= edge.at \
               UNION ALL \
               SELECT 1, (r.before->'last_review' = 'null'::jsonb)::int FROM review_logs r, edge \
                WHERE r.user_id = $1 AND r.reviewed_at >= $2 AND r.reviewed_at < edge.at AND NOT r.undone \
             ) counted",
        )
        .bind::<diesel::sql_types::Uuid, _>(user)
        .bind::<diesel::sql_types::Timestamptz, _>(day_start)
        .get_result(&mut conn)
        .await
        .map_err(unavailable)?;
        let word_ids: Vec<Uuid> = reviews
            .iter()
            .chain(&learning)
            .chain(&new)
            .map(|c| c.word.as_uuid())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        // Probes each candidate word's cards for a review today (review_logs_card_idx) rather
        // than reading all of today's reviews.
        #[derive(diesel::QueryableByName)]
        struct Studied {
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            word_id: Uuid,
        }
        let studied: Vec<Studied> = diesel::sql_query(
            "SELECT DISTINCT c.word_id FROM cards c WHERE c.user_id = $1 AND c.word_id = ANY($3) \
             AND EXISTS (SELECT 1 FROM review_logs r WHERE r.card_id = c.id \
               AND r.reviewed_at >= $2 AND NOT r.undone)",
        )
        .bind::<diesel::sql_types::Uuid, _>(user)
        .bind::<diesel::sql_types::Timestamptz, _>(day_start)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&word_ids)
        .load(&mut conn)
        .await
        .map_err(unavailable)?;
        let studied: Vec<Uuid> = studied.into_iter().map(|s| s.word_id).collect();
        let summaries: Vec<(Uuid, String, String)> = words::table
            .filter(words::id.eq_any(&word_ids))
            .select((words::id, words::language, words::lemma))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(Candidates {
            reviews,
            learning,
            new,
            new_studied_today: u32::try_from(today.new).unwrap_or(u32::MAX),
            reviews_done_today: u32::try_from(today.total - today.new).unwrap_or(u32::MAX),
            words_reviewed_today: studied.into_iter().map(WordId::from_uuid).collect(),
            words: summaries
                .into_iter()
                .map(|(id, language, lemma)| {
                    (WordId::from_uuid(id), WordSummary { language, lemma })
                })
                .collect(),
        })
    }
}
