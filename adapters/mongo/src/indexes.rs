use crate::{MongoError, MongoStore};
use mongodb::IndexModel;
use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;

/// Collection names, in one place.
pub mod collections {
    /// Provider responses and imported records as received, for re-processing.
    pub const RAW_ENTRIES: &str = "raw_entries";
    /// Normalised dictionary entries.
    pub const ENTRIES: &str = "entries";
}

fn index(keys: Document, name: &str, unique: bool) -> IndexModel {
    IndexModel::builder()
        .keys(keys)
        .options(
            IndexOptions::builder()
                .name(name.to_owned())
                .unique(unique)
                .build(),
        )
        .build()
}

/// Creates the indexes the adapters rely on. Idempotent: creating an index that exists with the
/// same definition is a no-op, so every process runs this at start-up.
pub async fn ensure_indexes(store: &MongoStore) -> Result<(), MongoError> {
    let db = store.database();
    db.collection::<Document>(collections::RAW_ENTRIES)
        .create_indexes([index(
            doc! { "language": 1, "lemma": 1, "source": 1 },
            "language_lemma_source",
            true,
        )])
        .await?;
    db.collection::<Document>(collections::ENTRIES)
        .create_indexes([index(
            doc! { "language": 1, "lemma": 1 },
            "language_lemma",
            false,
        )])
        .await?;
    Ok(())
}
