use super::resolve_word::{AddedBy, resolve_word};
use super::{TxError, from_diesel, unavailable};
use crate::job_ledger::stage_job;
use crate::pool::PgPool;
use crate::schema::{decks, system_deck_words};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::AsyncConnection;
use diesel_async::RunQueryDsl;
use lingo_kernel::jobs::NewJob;
use lingo_kernel::{DeckId, SystemDeckId, UserId, WordId};
use lingo_learning::card::CardType;
use lingo_learning::deck::{Deck, DeckKind, DeckName, DeckOwner, PropagateSystemDeck};
use lingo_learning::ports::WordRef;
use lingo_learning::ports::{DeckStore, LearningStoreError};
use uuid::Uuid;

#[derive(Clone)]
pub struct PgDeckStore {
    pool: PgPool,
}

impl PgDeckStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = decks)]
pub(super) struct DeckRow {
    pub(super) id: Uuid,
    owner_id: Option<Uuid>,
    name: String,
    description: String,
    card_types: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    kind: String,
    source_deck_id: Option<Uuid>,
    published_by: Option<Uuid>,
}

impl DeckRow {
    pub(super) fn into_deck(self) -> Result<Deck, LearningStoreError> {
        let owner = match (self.kind.as_str(), self.owner_id) {
            ("system", _) => DeckOwner::Service {
                published_by: self.published_by.map(UserId::from_uuid),
            },
            (_, Some(owner)) => DeckOwner::Learner(UserId::from_uuid(owner)),
            (_, None) => {
                return Err(LearningStoreError::Unavailable(format!(
                    "deck {} has no owner",
                    self.id
                )));
            }
        };
        Ok(Deck {
            id: DeckId::from_uuid(self.id),
            owner,
            name: DeckName::parse(&self.name).map_err(unavailable)?,
            description: self.description,
            card_types: self
                .card_types
                .iter()
                .filter_map(|t| CardType::parse(t))
                .collect(),
            kind: if self.kind == "system" {
                DeckKind::System
            } else {
                DeckKind::Personal
            },
            source: self.source_deck_id.map(SystemDeckId::from_uuid),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[async_trait]
impl DeckStore for PgDeckStore {
    async fn create(&self, deck: &Deck) -> Result<(), LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        insert(&mut conn, deck).await.map_err(unavailable)?;
        Ok(())
    }

    async fn list(&self, owner: UserId) -> Result<Vec<Deck>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<DeckRow> = decks::table
            .filter(decks::owner_id.eq(owner.as_uuid()))
            .filter(decks::kind.eq("personal"))
            .order(decks::created_at)
            .select(DeckRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(DeckRow::into_deck).collect()
    }

    async fn get(&self, owner: UserId, id: DeckId) -> Result<Deck, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        decks::table
            .filter(decks::id.eq(id.as_uuid()))
            .filter(decks::owner_id.eq(owner.as_uuid()))
            .select(DeckRow::as_select())
            .first(&mut conn)
            .await
            .map_err(from_diesel)?
            .into_deck()
    }

    async fn rename(
        &self,
        owner: UserId,
        id: DeckId,
        name: &DeckName,
        description: &str,
        now: DateTime<Utc>,
    ) -> Result<Deck, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::update(
            decks::table
                .filter(decks::id.eq(id.as_uuid()))
                .filter(decks::owner_id.eq(owner.as_uuid())),
        )
        .set((
            decks::name.eq(name.as_str()),
            decks::description.eq(description),
            decks::updated_at.eq(now),
        ))
        .returning(DeckRow::as_returning())
        .get_result(&mut conn)
        .await
        .map_err(from_diesel)?
        .into_deck()
    }

    async fn delete(&self, owner: UserId, id: DeckId) -> Result<(), LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let deleted = diesel::delete(
            decks::table
                .filter(decks::id.eq(id.as_uuid()))
                .filter(decks::owner_id.eq(owner.as_uuid())),
        )
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        if deleted == 0 {
            return Err(LearningStoreError::NotFound);
        }
        Ok(())
    }

    async fn list_system(&self) -> Result<Vec<Deck>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<DeckRow> = decks::table
            .filter(decks::kind.eq("system"))
            .order(decks::created_at)
            .select(DeckRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(DeckRow::into_deck).collect()
    }

    async fn add_system_words(
        &self,
        deck: SystemDeckId,
        words: &[WordRef],
    ) -> Result<Vec<WordId>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        conn.transaction::<Vec<WordId>, TxError, _>(async |conn| {
            decks::table
                .filter(decks::id.eq(deck.as_uuid()))
                .filter(decks::kind.eq("system"))
                .select(decks::id)
                .for_share()
                .first::<Uuid>(conn)
                .await?;
            let mut ids = Vec::with_capacity(words.len());
            for word in words {
                let word_id = resolve_word(conn, word, AddedBy::Admin).await?;
                diesel::insert_into(system_deck_words::table)
                    .values((
                        system_deck_words::deck_id.eq(deck.as_uuid()),
                        system_deck_words::word_id.eq(word_id.as_uuid()),
                    ))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
                ids.push(word_id);
            }
            let job = NewJob::of(&PropagateSystemDeck { deck_id: deck }).map_err(unavailable)?;
            stage_job(conn, &job).await.map_err(unavailable)?;
            Ok(ids)
        })
        .await
        .map_err(LearningStoreError::from)
    }

    async fn subscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
        now: DateTime<Utc>,
    ) -> Result<Deck, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let deck = conn
            .transaction::<Deck, TxError, _>(async |conn| {
                let source = decks::table
                    .filter(decks::id.eq(system_deck.as_uuid()))
                    .filter(decks::kind.eq("system"))
                    .select(DeckRow::as_select())
                    .first(conn)
                    .await?
                    .into_deck()?;
                let existing: Option<DeckRow> = decks::table
                    .filter(decks::owner_id.eq(owner.as_uuid()))
                    .filter(decks::source_deck_id.eq(system_deck.as_uuid()))
                    .select(DeckRow::as_select())
                    .first(conn)
                    .await
                    .optional()?;
                if let Some(existing) = existing {
                    return Ok(existing.into_deck()?);
                }
                let deck = Deck::subscription(owner, &source, now);
                insert(conn, &deck).await?;
                propagate(conn, system_deck, Some(deck.id)).await?;
                Ok(deck)
            })
            .await?;
        Ok(deck)
    }

    async fn unsubscribe(
        &self,
        owner: UserId,
        system_deck: SystemDeckId,
    ) -> Result<(), LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let unlinked = diesel::update(
            decks::table
                .filter(decks::owner_id.eq(owner.as_uuid()))
                .filter(decks::source_deck_id.eq(system_deck.as_uuid())),
        )
        .set(decks::source_deck_id.eq(None::<Uuid>))
        .execute(&mut conn)
        .await
        .map_err(unavailable)?;
        if unlinked == 0 {
            return Err(LearningStoreError::NotFound);
        }
        Ok(())
    }

    async fn propagate(&self, system_deck: SystemDeckId) -> Result<usize, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        propagate(&mut conn, system_deck, None)
            .await
            .map_err(unavailable)
    }

    async fn system_words(
        &self,
        system_deck: SystemDeckId,
    ) -> Result<Vec<WordId>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let words: Vec<Uuid> = system_deck_words::table
            .filter(system_deck_words::deck_id.eq(system_deck.as_uuid()))
            .order(system_deck_words::word_id)
            .select(system_deck_words::word_id)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(words.into_iter().map(WordId::from_uuid).collect())
    }

    async fn subscribers(
        &self,
        system_deck: SystemDeckId,
    ) -> Result<Vec<UserId>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let owners: Vec<Option<Uuid>> = decks::table
            .filter(decks::source_deck_id.eq(system_deck.as_uuid()))
            .filter(decks::owner_id.is_not_null())
            .order(decks::owner_id)
            .select(decks::owner_id)
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(owners
            .into_iter()
            .flatten()
            .map(UserId::from_uuid)
            .collect())
    }
}

async fn insert(
    conn: &mut diesel_async::AsyncPgConnection,
    deck: &Deck,
) -> Result<usize, diesel::result::Error> {
    let card_types: Vec<&str> = deck.card_types.iter().map(|t| t.as_str()).collect();
    let (owner, publisher) = match deck.owner {
        DeckOwner::Learner(owner) => (Some(owner.as_uuid()), None),
        DeckOwner::Service { published_by } => (None, published_by.map(|p| p.as_uuid())),
    };
    diesel::insert_into(decks::table)
        .values((
            decks::id.eq(deck.id.as_uuid()),
            decks::owner_id.eq(owner),
            decks::published_by.eq(publisher),
            decks::name.eq(deck.name.as_str()),
            decks::description.eq(&deck.description),
            decks::card_types.eq(card_types),
            decks::created_at.eq(deck.created_at),
            decks::updated_at.eq(deck.updated_at),
            decks::kind.eq(deck.kind.as_str()),
            decks::source_deck_id.eq(deck.source.map(|s| s.as_uuid())),
        ))
        .execute(conn)
        .await
}

/// Creates the cards every subscription (or just `only`) lacks: one per word of the system deck
/// and card type of the subscription. Idempotent.
async fn propagate(
    conn: &mut diesel_async::AsyncPgConnection,
    system_deck: SystemDeckId,
    only: Option<DeckId>,
) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(
        "INSERT INTO cards (id, user_id, deck_id, word_id, card_type, state, step, due, created_at) \
         SELECT gen_random_uuid(), d.owner_id, d.id, w.word_id, t.card_type, 'learning', 0, now(), now() \
         FROM decks d \
         JOIN system_deck_words w ON w.deck_id = d.source_deck_id \
         CROSS JOIN LATERAL unnest(d.card_types) AS t(card_type) \
         WHERE d.source_deck_id = $1 AND ($2::uuid IS NULL OR d.id = $2) \
         ON CONFLICT (deck_id, word_id, card_type) DO NOTHING",
    )
    .bind::<diesel::sql_types::Uuid, _>(system_deck.as_uuid())
    .bind::<diesel::sql_types::Nullable<diesel::sql_types::Uuid>, _>(only.map(|d| d.as_uuid()))
    .execute(conn)
    .await
}
