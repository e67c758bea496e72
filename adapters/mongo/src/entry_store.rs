//! Raw records and normalised dictionary entries in MongoDB (`raw_entries`, `entries`). An
//! imported record is kept inside the entries made from it (`records`), not in a document of its
//! own: a bulk load writes one document per entry, and this server's cost is per document.

use crate::MongoStore;
use crate::bounded::{Bounds, within};
use crate::bulk_upsert::{Replacement, upsert_by_id};
use crate::entry_document::{entry_from_document, entry_to_document, imported_documents};
use crate::indexes::collections;
use crate::raw_record_document::raw_record_to_document;
use async_trait::async_trait;
use lingo_dictionary::entry::entry_id_prefix;
use lingo_dictionary::import::ImportedRecord;
use lingo_dictionary::normalise::fold_key;
use lingo_dictionary::ports::{EntryPage, EntryStore, StoreError};
use lingo_dictionary::{Entry, RawRecord, SourceId};
use lingo_kernel::LanguageCode;
use mongodb::bson::{Document, doc};
use mongodb::{Collection, Database};

pub(crate) fn unavailable(e: mongodb::error::Error) -> StoreError {
    StoreError::Unavailable(format!("mongodb: {e}"))
}

/// `EntryStore` on MongoDB. Writes replace whole documents by `_id` (the record's and the
/// entry's stable ids), so writing the same batch again changes nothing.
#[derive(Clone)]
pub struct MongoEntryStore {
    database: Database,
    bounds: Bounds,
}

impl MongoEntryStore {
    pub fn new(store: &MongoStore) -> Self {
        Self {
            database: store.database().clone(),
            bounds: store.bounds(),
        }
    }

    fn entries_collection(&self) -> Collection<Document> {
        self.database.collection(collections::ENTRIES)
    }
}

/// The entries of `source` in `language` with an id after `after`: a range of the `_id` index
/// (every id of the source's entries starts with one prefix, see `entry_id_prefix`), so no
/// second index on (source, language) has to be updated by every write. The equalities stay
/// as a guard against documents written by hand.
fn source_filter(language: &LanguageCode, source: &SourceId, after: Option<&str>) -> Document {
    let prefix = entry_id_prefix(source, language);
    // `}` follows `|`: every string that starts with the prefix sorts below this one.
    let end = format!("{}}}", &prefix[..prefix.len() - 1]);
    let start = after.filter(|a| *a > prefix.as_str()).unwrap_or(&prefix);
    doc! {
        "_id": { "$gt": start, "$lt": end },
        "source": source.as_str(),
        "language": language.as_str(),
    }
}

/// The `_id` index, named: a planner seeing the `language` equality could pick
/// `language_lemma_key` and read every entry of the language.
const ID_INDEX: &str = "_id_";

/// Entries are read without the records they were imported from.
fn without_records() -> Document {
    doc! { crate::entry_document::RECORDS: 0 }
}

#[async_trait]
impl EntryStore for MongoEntryStore {
    #[tracing::instrument(skip_all, fields(records = records.len()))]
    async fn put_raw(&self, records: &[RawRecord]) -> Result<(), StoreError> {
        let replacements = records
            .iter()
            .map(|record| Replacement::encode(record.id(), &raw_record_to_document(record)))
            .collect::<Result<Vec<_>, _>>()?;
        upsert_by_id(
            &self.database,
            collections::RAW_ENTRIES,
            replacements,
            self.bounds.bulk,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(entries = entries.len()))]
    async fn put_entries(&self, entries: &[Entry]) -> Result<(), StoreError> {
        let replacements = entries
            .iter()
            .map(|entry| Replacement::encode(entry.id(), &entry_to_document(entry)?))
            .collect::<Result<Vec<_>, _>>()?;
        upsert_by_id(
            &self.database,
            collections::ENTRIES,
            replacements,
            self.bounds.bulk,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(records = records.len()))]
    async fn put_imported(&self, records: &[ImportedRecord]) -> Result<(), StoreError> {
        upsert_by_id(
            &self.database,
            collections::ENTRIES,
            imported_documents(records)?,
            self.bounds.bulk,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(language = %language, keys = keys.len()))]
    async fn entries(
        &self,
        language: &LanguageCode,
        keys: &[String],
    ) -> Result<Vec<Entry>, StoreError> {
        // Folding again is a no-op for fold keys and makes "House" find "house".
        let mut keys: Vec<String> = keys.iter().map(|k| fold_key(k)).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        within(
            self.bounds.operation,
            "reading entries",
            self.find(language, keys),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(language = %language, source = %source, limit = limit))]
    async fn entries_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<EntryPage, StoreError> {
        within(
            self.bounds.operation,
            "reading a source's entries",
            self.page_of_source(language, source, after, limit),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(language = %language, source = %source))]
    async fn count_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
    ) -> Result<u64, StoreError> {
        within(
            self.bounds.operation,
            "counting a source's entries",
            self.count_source(language, source),
        )
        .await
    }
}

impl MongoEntryStore {
    async fn find(
        &self,
        language: &LanguageCode,
        keys: Vec<String>,
    ) -> Result<Vec<Entry>, StoreError> {
        let mut cursor = self
            .entries_collection()
            .find(doc! { "language": language.as_str(), "lemma_key": { "$in": keys } })
            .projection(without_records())
            .sort(doc! { "source": 1, "lemma": 1, "_id": 1 })
            .await
            .map_err(unavailable)?;
        let mut entries = Vec::new();
        while cursor.advance().await.map_err(unavailable)? {
            let document: Document = cursor.deserialize_current().map_err(unavailable)?;
            entries.push(entry_from_document(document)?);
        }
        Ok(entries)
    }

    async fn page_of_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<EntryPage, StoreError> {
        let mut cursor = self
            .entries_collection()
            .find(source_filter(language, source, after))
            .projection(without_records())
            .hint(mongodb::options::Hint::Name(ID_INDEX.to_owned()))
            .sort(doc! { "_id": 1 })
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .batch_size(u32::try_from(limit).unwrap_or(u32::MAX))
            .await
            .map_err(unavailable)?;
        let mut page = EntryPage::default();
        while cursor.advance().await.map_err(unavailable)? {
            let document: Document = cursor.deserialize_current().map_err(unavailable)?;
            let Ok(id) = document.get_str("_id").map(str::to_owned) else {
                // Not a string id (a document written by hand): no entry, and not an id to
                // continue from; skipped and named.
                page.corrupt.push(format!(
                    "entry {:?}: _id is not a string",
                    document.get("_id")
                ));
                continue;
            };
            match entry_from_document(document) {
                Ok(entry) => page.entries.push(entry),
                Err(e) => page.corrupt.push(e.to_string()),
            }
            page.last_id = Some(id);
        }
        Ok(page)
    }

    async fn count_source(
        &self,
        language: &LanguageCode,
        source: &SourceId,
    ) -> Result<u64, StoreError> {
        self.entries_collection()
            .count_documents(source_filter(language, source, None))
            .hint(mongodb::options::Hint::Name(ID_INDEX.to_owned()))
            .await
            .map_err(unavailable)
    }
}
