//! Candidates of the study queue: three indexed reads and two counts.

use super::card_row::CardRow;
use super::cards::PgCardStore;
use super::unavailable;
use crate::schema::{cards, review_logs, words};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::study_queue::{Candidates, WordSummary};
use std::collections::HashSet;
use uuid::Uuid;

impl PgCardStore {
    pub(super) async fn candidates(
        &self,
        owner: UserId,
        deck: Option<Uuid>,
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
                q = q.filter(cards::deck_id.eq(deck));
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
        // Today's reviews: how many, how many were of new cards, and which words they touched.
        let today: Vec<(Uuid, serde_json::Value)> = review_logs::table
            .inner_join(cards::table)
            .filter(review_logs::user_id.eq(user))
            .filter(review_logs::reviewed_at.ge(day_start))
            .filter(review_logs::undone.eq(false))
            .select((cards::word_id, review_logs::before))
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        let new_studied_today = today
            .iter()
            .filter(|(_, before)| {
                before
                    .get("last_review")
                    .is_some_and(serde_json::Value::is_null)
            })
            .count() as u32;
        let word_ids: Vec<Uuid> = reviews
            .iter()
            .chain(&learning)
            .chain(&new)
            .map(|c| c.word)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
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
            new_studied_today,
            reviews_done_today: today.len() as u32 - new_studied_today,
            words_reviewed_today: today.iter().map(|(word, _)| *word).collect(),
            words: summaries
                .into_iter()
                .map(|(id, language, lemma)| (id, WordSummary { language, lemma }))
                .collect(),
        })
    }
}
