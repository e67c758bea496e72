use crate::{MongoError, MongoStore};
use mongodb::bson::{Document, doc};
use mongodb::error::ErrorKind;
use mongodb::options::IndexOptions;
use mongodb::{Collection, IndexModel};

/// Collection names, in one place.
pub mod collections {
    /// Provider responses as received, for re-processing (imported records are kept inside the
    /// entries made from them).
    pub const RAW_ENTRIES: &str = "raw_entries";
    /// Normalised dictionary entries.
    pub const ENTRIES: &str = "entries";
    /// Generated learner content, one document per version.
    pub const LEARNER_CONTENT: &str = "learner_content";
}

/// Indexes earlier versions created, dropped where they still exist: `language_lemma_source`
/// was unique on (language, lemma, source) and would refuse a source's second record for one
/// lemma; both are replaced by indexes on the folded `lemma_key`. (A changed definition under
/// an existing name is refused by the server, hence new names.) `source_language_id` served
/// the walk through a source's entries, which a range of `_id` serves as well: every entry
/// write paid for it, and this server's insert rate halves with each secondary index.
const OBSOLETE: [(&str, &str); 3] = [
    (collections::RAW_ENTRIES, "language_lemma_source"),
    (collections::ENTRIES, "language_lemma"),
    (collections::ENTRIES, "source_language_id"),
];

/// The server's code for "index not found" (another process dropped it first).
const INDEX_NOT_FOUND: i32 = 27;

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

/// Creates the indexes the adapters rely on and drops obsolete ones. Idempotent: creating an
/// index that exists with the same definition is a no-op, so every process runs this at
/// start-up.
pub async fn ensure_indexes(store: &MongoStore) -> Result<(), MongoError> {
    let limit = store.bounds().bulk;
    tokio::time::timeout(limit, create_and_drop(store.database()))
        .await
        .map_err(|_| MongoError::Timeout("ensuring the indexes", limit))?
}

async fn create_and_drop(db: &mongodb::Database) -> Result<(), MongoError> {
    // `_id` (the record's stable id) makes writes idempotent; this one serves re-processing
    // by word and source.
    db.collection::<Document>(collections::RAW_ENTRIES)
        .create_indexes([index(
            doc! { "language": 1, "lemma_key": 1, "source": 1 },
            "language_lemma_key_source",
            false,
        )])
        .await?;
    // By word (lookups). The reconciliation's walk by source reads a range of `_id`.
    db.collection::<Document>(collections::ENTRIES)
        .create_indexes([index(
            doc! { "language": 1, "lemma_key": 1 },
            "language_lemma_key",
            false,
        )])
        .await?;
    db.collection::<Document>(collections::LEARNER_CONTENT)
        .create_indexes([index(
            doc! { "key_id": 1, "version": -1 },
            "key_version",
            true,
        )])
        .await?;
    for (collection, name) in OBSOLETE {
        drop_index_if_present(&db.collection(collection), name).await?;
    }
    Ok(())
}

async fn drop_index_if_present(
    collection: &Collection<Document>,
    name: &str,
) -> Result<(), MongoError> {
    if !collection
        .list_index_names()
        .await?
        .iter()
        .any(|n| n == name)
    {
        return Ok(());
    }
    match collection.drop_index(name).await {
        Err(e) if matches!(*e.kind, ErrorKind::Command(ref c) if c.code == INDEX_NOT_FOUND) => {
            Ok(())
        }
        other => Ok(other?),
    }
}
