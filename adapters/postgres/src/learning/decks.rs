use super::{from_diesel, unavailable};
use crate::pool::PgPool;
use crate::schema::decks;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use lingo_kernel::UserId;
use lingo_learning::card::CardType;
use lingo_learning::deck::{Deck, DeckName};
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
struct DeckRow {
    id: Uuid,
    owner_id: Uuid,
    name: String,
    description: String,
    card_types: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl DeckRow {
    fn into_deck(self) -> Result<Deck, LearningStoreError> {
        Ok(Deck {
            id: self.id,
            owner: UserId::from_uuid(self.owner_id),
            name: DeckName::parse(&self.name).map_err(unavailable)?,
            description: self.description,
            card_types: self
                .card_types
                .iter()
                .filter_map(|t| CardType::parse(t))
                .collect(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[async_trait]
impl DeckStore for PgDeckStore {
    async fn create(&self, deck: &Deck) -> Result<(), LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::insert_into(decks::table)
            .values((
                decks::id.eq(deck.id),
                decks::owner_id.eq(deck.owner.as_uuid()),
                decks::name.eq(deck.name.as_str()),
                decks::description.eq(&deck.description),
                decks::card_types.eq(deck
                    .card_types
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()),
                decks::created_at.eq(deck.created_at),
                decks::updated_at.eq(deck.updated_at),
            ))
            .execute(&mut conn)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn list(&self, owner: UserId) -> Result<Vec<Deck>, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let rows: Vec<DeckRow> = decks::table
            .filter(decks::owner_id.eq(owner.as_uuid()))
            .order(decks::created_at)
            .select(DeckRow::as_select())
            .load(&mut conn)
            .await
            .map_err(unavailable)?;
        rows.into_iter().map(DeckRow::into_deck).collect()
    }

    async fn get(&self, owner: UserId, id: Uuid) -> Result<Deck, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        decks::table
            .filter(decks::id.eq(id))
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
        id: Uuid,
        name: &DeckName,
        description: &str,
    ) -> Result<Deck, LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        diesel::update(
            decks::table
                .filter(decks::id.eq(id))
                .filter(decks::owner_id.eq(owner.as_uuid())),
        )
        .set((
            decks::name.eq(name.as_str()),
            decks::description.eq(description),
            decks::updated_at.eq(Utc::now()),
        ))
        .returning(DeckRow::as_returning())
        .get_result(&mut conn)
        .await
        .map_err(from_diesel)?
        .into_deck()
    }

    async fn delete(&self, owner: UserId, id: Uuid) -> Result<(), LearningStoreError> {
        let mut conn = self.pool.get().await.map_err(unavailable)?;
        let deleted = diesel::delete(
            decks::table
                .filter(decks::id.eq(id))
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
}
