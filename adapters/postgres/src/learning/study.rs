//! Candidates of the study queue in two round trips of small cached statements: three indexed
//! reads and today's counts from the per-quarter-hour counters, then the words and whether a
//! card of each was reviewed today. These reads and the due counts run on the pool's generic
//! sessions (`PgPool::get_generic`): each statement is planned once per connection.

use super::card_row::CardRow;
use super::cards::PgCardStore;
use super::unavailable;
use crate::prepared::Prepared;
use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_kernel::{DeckId, UserId, WordId};
use lingo_learning::ports::LearningStoreError;
use lingo_learning::study_queue::{Candidates, WordSummary};
use std::collections::HashSet;
use std::sync::LazyLock;
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
        #[derive(QueryableByName)]
        struct Counts {
            #[diesel(sql_type = BigInt)]
            reviews: i64,
            #[diesel(sql_type = BigInt)]
            learning: i64,
            #[diesel(sql_type = BigInt)]
            new: i64,
        }
        let mut conn = self.pool.get_generic().await.map_err(unavailable)?;
        let most = at_most.reviews.max(at_most.learning).max(at_most.new);
        let sql = DUE
            .iter()
            .find(|(cap, _)| u64::from(most) <= *cap)
            .map_or(&DUE[DUE.len() - 1].1, |(_, sql)| sql);
        let sql = &sql[usize::from(deck.is_some())];
        let counts: Counts = Prepared(
            diesel::sql_query(sql.as_str())
                .bind::<SqlUuid, _>(owner.as_uuid())
                .bind::<Timestamptz, _>(now)
                .bind::<Nullable<SqlUuid>, _>(deck.map(|d| d.as_uuid())),
        )
        .get_result(&mut conn)
        .await
        .map_err(unavailable)?;
        let count = |n: i64, cap: u32| u32::try_from(n).unwrap_or(u32::MAX).min(cap);
        Ok(lingo_learning::study_session::DueCounts {
            reviews: count(counts.reviews, at_most.reviews),
            learning: count(counts.learning, at_most.learning),
            new: count(counts.new, at_most.new),
        })
    }

    /// The three kinds of candidates and today's counts in one round trip (four small cached
    /// statements, pipelined on one connection), then the candidates' words and whether each
    /// was studied today in a second. It was six statements one after the other, each parsed
    /// and planned anew; one statement joining everything cost more to plan (about 1 ms,
    /// planned again on every run when PostgreSQL prefers a custom plan) than to run.
    pub(super) async fn candidates(
        &self,
        owner: UserId,
        deck: Option<DeckId>,
        now: DateTime<Utc>,
        day_start: DateTime<Utc>,
        fetch: u32,
    ) -> Result<Candidates, LearningStoreError> {
        use diesel::sql_types::{Array, Timestamptz, Uuid as SqlUuid};
        let pooled = self.pool.get_generic().await.map_err(unavailable)?;
        let conn: &AsyncPgConnection = &pooled;
        let user = owner.as_uuid();
        let fetch = u64::from(fetch.clamp(1, 2000));
        let statements = CANDIDATES
            .iter()
            .find(|s| s.fetch >= fetch)
            .unwrap_or(&CANDIDATES[CANDIDATES.len() - 1]);
        let kind = |sql: &'static [String; 2]| {
            let (sql, deck) = match deck {
                None => (&sql[0], None),
                Some(deck) => (&sql[1], Some(deck.as_uuid())),
            };
            Prepared(
                diesel::sql_query(sql.as_str())
                    .bind::<SqlUuid, _>(user)
                    .bind::<Timestamptz, _>(now)
                    .bind::<diesel::sql_types::Nullable<SqlUuid>, _>(deck),
            )
        };
        let today = Prepared(
            diesel::sql_query(TODAY_ONLY_SQL)
                .bind::<SqlUuid, _>(user)
                .bind::<Timestamptz, _>(day_start),
        );
        let (reviews, learning, new, today) = futures_util::try_join!(
            kind(&statements.reviews).load::<CardRow>(&mut &*conn),
            kind(&statements.learning).load::<CardRow>(&mut &*conn),
            kind(&statements.new).load::<CardRow>(&mut &*conn),
            today.get_result::<Today>(&mut &*conn),
        )
        .map_err(unavailable)?;
        let cards = |rows: Vec<CardRow>| {
            rows.into_iter()
                .map(CardRow::into_card)
                .collect::<Result<Vec<_>, _>>()
        };
        let (reviews, learning, new) = (cards(reviews)?, cards(learning)?, cards(new)?);
        let word_ids: Vec<Uuid> = reviews
            .iter()
            .chain(&learning)
            .chain(&new)
            .map(|c| c.word.as_uuid())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let words: Vec<WordRow> = if word_ids.is_empty() {
            Vec::new()
        } else {
            Prepared(
                diesel::sql_query(WORDS_SQL)
                    .bind::<SqlUuid, _>(user)
                    .bind::<Timestamptz, _>(day_start)
                    .bind::<Array<SqlUuid>, _>(&word_ids),
            )
            .load(&mut &*conn)
            .await
            .map_err(unavailable)?
        };
        let mut candidates = Candidates {
            reviews,
            learning,
            new,
            new_studied_today: u32::try_from(today.today_new).unwrap_or(u32::MAX),
            reviews_done_today: u32::try_from(today.today_total - today.today_new)
                .unwrap_or(u32::MAX),
            ..Candidates::default()
        };
        for word in words {
            let id = WordId::from_uuid(word.id);
            if word.studied_today {
                candidates.words_reviewed_today.insert(id);
            }
            candidates.words.insert(
                id,
                WordSummary {
                    language: word.language,
                    lemma: word.lemma,
                },
            );
        }
        Ok(candidates)
    }
}

/// A candidate's word, and whether the learner reviewed a card of it today.
#[derive(QueryableByName)]
struct WordRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    language: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    lemma: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    studied_today: bool,
}

#[derive(QueryableByName)]
struct Today {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    today_total: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    today_new: i64,
}

/// Every column of `CardRow`, named (the statements are cached: see `Prepared`).
const CARD_COLUMNS: &str = "c.id, c.user_id, c.deck_id, c.word_id, c.card_type, c.state, c.step, \
    c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses, c.suspended, \
    c.buried_until, c.leech, c.version, c.created_at, c.reset_at, c.note, c.translation, c.tags, \
    c.source_sentence";

/// Today's reviews and new cards for $1 from $2, the day's start: the buckets the trigger of
/// migration 2026-12-03-000300 keeps, from the first quarter hour wholly inside the day; the
/// logs of a day starting off a quarter hour (no time zone does today) before it are counted
/// one by one.
const TODAY_ONLY_SQL: &str = "WITH edge AS (SELECT review_log_bucket($2 + interval '15 minutes' \
    - interval '1 microsecond') AS at) \
    SELECT coalesce(sum(total), 0)::bigint AS today_total, \
    coalesce(sum(new_cards), 0)::bigint AS today_new FROM ( \
      SELECT k.total, k.new_cards FROM review_log_counts k, edge \
       WHERE k.user_id = $1 AND k.bucket >= edge.at \
      UNION ALL \
      SELECT 1, (r.before->'last_review' = 'null'::jsonb)::int FROM review_logs r, edge \
       WHERE r.user_id = $1 AND r.reviewed_at >= $2 AND r.reviewed_at < edge.at AND NOT r.undone \
    ) counted";

/// The words $3 of learner $1, each with whether a card of it was reviewed since $2: a card's
/// `last_review` is its latest review that stands (an undo puts back the one before), so this
/// reads the words' cards in cards_word_idx, which the candidates have just brought into the
/// cache, rather than probing review_logs once per card (0.65 ms for 80 words at 100,000
/// reviews today).
const WORDS_SQL: &str = "SELECT w.id, w.language, w.lemma, EXISTS (SELECT 1 FROM cards s \
    WHERE s.user_id = $1 AND s.word_id = w.id AND s.last_review >= $2) AS studied_today \
    FROM words w WHERE w.id = ANY($3)";

/// One kind of candidates: $1 learner, $2 now, $3 the deck (the second text only; the first
/// ignores it), `fetch` rows. `fetch` is in the text, not a parameter: with a parameter a
/// cached statement's generic plan guesses hundreds of rows.
fn kind_sql(filter: &str, order: &str, fetch: u64) -> [String; 2] {
    let sql = |deck: &str| {
        format!(
            "SELECT {CARD_COLUMNS} FROM cards c WHERE c.user_id = $1 AND NOT c.suspended \
             AND (c.buried_until IS NULL OR c.buried_until <= $2) AND {deck} {filter} \
             ORDER BY {order} LIMIT {fetch}"
        )
    };
    [sql("$3::uuid IS NULL AND"), sql("c.deck_id = $3 AND")]
}

/// The candidates statements for one number of cards of each kind.
struct CandidateStatements {
    fetch: u64,
    reviews: [String; 2],
    learning: [String; 2],
    new: [String; 2],
}

/// A few sizes, so a queue of any length uses one of a handful of cached statements (the
/// smallest holding the `fetch` the queue asks for: twice its length, more when siblings of
/// words studied today left it short).
static CANDIDATES: LazyLock<Vec<CandidateStatements>> = LazyLock::new(|| {
    [40, 80, 200, 400, 800, 2000]
        .into_iter()
        .map(|fetch| CandidateStatements {
            fetch,
            reviews: kind_sql("c.state = 'review' AND c.due <= $2", "c.due", fetch),
            learning: kind_sql(
                "c.state <> 'review' AND c.last_review IS NOT NULL AND c.due <= $2",
                "c.due",
                fetch,
            ),
            new: kind_sql("c.last_review IS NULL", "c.created_at", fetch),
        })
        .collect()
});

/// The due counts, each stopping at the first number (`u64::MAX`: no stop): $1 learner, $2 now,
/// $3 the deck (the second text only; the first ignores it). The stop is in the text, not a
/// parameter: with `LIMIT $n` the cached statement's generic plan read every due card's index
/// entry in a bitmap scan (2.9 ms for 20,000 due, 0.4 ms now) before stopping at 1,000; and
/// one text for both, `($3 IS NULL OR deck_id = $3)`, took 15 ms as a generic plan (the
/// sessions of `get_generic` run nothing else). A session asks for at most 999 plus its cards
/// (1,020 for the default 20).
static DUE: LazyLock<Vec<(u64, [String; 2])>> = LazyLock::new(|| {
    let due = |deck: &str| {
        format!(
            "FROM cards WHERE user_id = $1 AND NOT suspended \
             AND (buried_until IS NULL OR buried_until <= $2) AND {deck}"
        )
    };
    let texts = [due("$3::uuid IS NULL"), due("deck_id = $3")];
    [1_020, 1_250, 10_000, 100_000, u64::MAX]
        .into_iter()
        .map(|cap| {
            // In index order, so the scan stops at the cap (unordered, PostgreSQL chose a
            // bitmap scan, which reads every entry before the first row).
            let limit = |order: &str| {
                if cap == u64::MAX {
                    String::new()
                } else {
                    format!("ORDER BY {order} LIMIT {cap}")
                }
            };
            let (by_due, by_age) = (limit("due"), limit("created_at"));
            let sql = |due: &str| {
                format!(
                    "SELECT \
                       (SELECT count(*) FROM (SELECT 1 {due} AND state = 'review' AND due <= $2 {by_due}) r) AS reviews, \
                       (SELECT count(*) FROM (SELECT 1 {due} AND state <> 'review' AND last_review IS NOT NULL AND due <= $2 {by_due}) l) AS learning, \
                       (SELECT count(*) FROM (SELECT 1 {due} AND last_review IS NULL {by_age}) n) AS new"
                )
            };
            (cap, [sql(&texts[0]), sql(&texts[1])])
        })
        .collect()
});
