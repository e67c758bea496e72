//! An entry as a MongoDB document: the domain struct through serde, plus `_id` (the entry's
//! stable id) and the top-level `lemma_key` and `source` that the index and the sort use.
//! `provenance.retrieved_at` is stored as a BSON date (milliseconds: finer precision is
//! dropped), so that it can be queried as a date.

use crate::bulk_upsert::Replacement;
use crate::raw_record_document::raw_record_to_document;
use chrono::{DateTime, SecondsFormat, Utc};
use lingo_dictionary::Entry;
use lingo_dictionary::import::ImportedRecord;
use lingo_dictionary::ports::StoreError;
use mongodb::bson::{self, Bson, Document, doc};
use std::collections::HashMap;

pub(crate) fn bson_date(at: DateTime<Utc>) -> Bson {
    Bson::DateTime(bson::DateTime::from_millis(at.timestamp_millis()))
}

/// The field of an entry document that holds the imported records it was made from.
pub(crate) const RECORDS: &str = "records";

/// The entry documents of a batch of imported records: each entry with content, holding the
/// records of the batch that made it (usually one; several when records share a lemma and part
/// of speech, the last one's entry winning as if written one by one). A record's `source` and
/// `language` are its entries', so they are not repeated.
pub(crate) fn imported_documents(
    records: &[ImportedRecord],
) -> Result<Vec<Replacement>, StoreError> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, (Document, Vec<Bson>)> = HashMap::new();
    for record in records {
        let mut raw = raw_record_to_document(&record.raw);
        if let Some(id) = raw.remove("_id") {
            raw.insert("id", id);
        }
        raw.remove("source");
        raw.remove("language");
        for entry in record.entries.iter().filter(|e| e.has_content()) {
            let id = entry.id();
            let document = entry_to_document(entry)?;
            match by_id.get_mut(&id) {
                Some((kept, from)) => {
                    *kept = document;
                    from.push(Bson::Document(raw.clone()));
                }
                None => {
                    order.push(id.clone());
                    by_id.insert(id, (document, vec![Bson::Document(raw.clone())]));
                }
            }
        }
    }
    order
        .into_iter()
        .filter_map(|id| by_id.remove(&id).map(|found| (id, found)))
        .map(|(id, (mut document, from))| {
            document.insert(RECORDS, from);
            Replacement::encode(id, &document)
        })
        .collect()
}

pub(crate) fn entry_to_document(entry: &Entry) -> Result<Document, StoreError> {
    let id = entry.id();
    let body = bson::to_document(entry)
        .map_err(|e| StoreError::Unavailable(format!("cannot encode entry {id}: {e}")))?;
    let mut document = doc! { "_id": id };
    document.extend(body);
    if let Ok(provenance) = document.get_document_mut("provenance") {
        provenance.insert("retrieved_at", bson_date(entry.provenance.retrieved_at));
    }
    document.insert("lemma_key", entry.lemma_key());
    document.insert("source", entry.provenance.source.as_str());
    Ok(document)
}

/// A stored document back to an entry; anything that does not decode is `Corrupt`, naming the
/// document, so that a bad document is found rather than silently missing from lookups.
pub(crate) fn entry_from_document(mut document: Document) -> Result<Entry, StoreError> {
    let id = document
        .remove("_id")
        .map_or_else(|| "(no _id)".to_owned(), |id| id.to_string());
    let corrupt = |what: String| StoreError::Corrupt(format!("entry {id}: {what}"));
    document.remove("lemma_key");
    document.remove("source");
    document.remove(RECORDS);
    if let Ok(provenance) = document.get_document_mut("provenance")
        && let Some(Bson::DateTime(at)) = provenance.get("retrieved_at")
    {
        let at = DateTime::<Utc>::from_timestamp_millis(at.timestamp_millis())
            .ok_or_else(|| corrupt(format!("retrieved_at {at} is out of range")))?;
        // The domain type reads the timestamp the way serde writes it: RFC 3339.
        provenance.insert(
            "retrieved_at",
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
        );
    }
    bson::from_document(document).map_err(|e| corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use lingo_dictionary::{PartOfSpeech, Provenance, Sense, SourceId};
    use lingo_kernel::LanguageCode;

    fn entry() -> Entry {
        Entry {
            language: LanguageCode::english(),
            lemma: "House".into(),
            headword: "House".into(),
            part_of_speech: PartOfSpeech::parse("n"),
            discriminator: "noun".into(),
            senses: vec![Sense {
                gloss: "a building".into(),
                examples: vec![],
                tags: vec![],
                synonyms: vec![],
            }],
            pronunciations: vec![],
            translations: vec![],
            forms: vec![],
            provenance: Provenance {
                source: SourceId::parse("wordnet-3.0").expect("valid"),
                licence: "WordNet".into(),
                retrieved_at: Utc
                    .timestamp_millis_opt(1_700_000_000_123)
                    .single()
                    .expect("valid"),
                origin: None,
            },
        }
    }

    #[test]
    fn documents_carry_the_id_key_source_and_a_bson_date() {
        let document = entry_to_document(&entry()).expect("encodes");
        assert_eq!(document.get_str("_id"), Ok("wordnet-3.0|en|house|noun"));
        assert_eq!(document.get_str("lemma_key"), Ok("house"));
        assert_eq!(document.get_str("source"), Ok("wordnet-3.0"));
        let provenance = document.get_document("provenance").expect("provenance");
        assert!(matches!(
            provenance.get("retrieved_at"),
            Some(Bson::DateTime(_))
        ));
    }

    fn record(key: &str, entries: Vec<Entry>) -> ImportedRecord {
        ImportedRecord {
            line: 1,
            raw: lingo_dictionary::RawRecord {
                source: SourceId::parse("wordnet-3.0").expect("valid"),
                language: LanguageCode::english(),
                lemma: "house".into(),
                key: key.into(),
                format: "text".into(),
                payload: serde_json::json!(format!("the text of {key}")),
                received_at: Utc
                    .timestamp_millis_opt(1_700_000_000_000)
                    .single()
                    .expect("valid"),
            },
            entries,
        }
    }

    fn decoded(replacement: &Replacement) -> Document {
        replacement.document.to_document().expect("decodes")
    }

    #[test]
    fn an_imported_entry_holds_the_records_it_was_made_from() {
        let mut empty = entry();
        empty.discriminator = "verb".into();
        empty.senses.clear();
        let mut later = entry();
        later.senses[0].gloss = "a home".into();
        let documents = imported_documents(&[
            record("house-1", vec![entry(), empty]),
            record("house-2", vec![later.clone()]),
        ])
        .expect("encodes");
        // One document: the entry without content is left out, the second record's entry of
        // the same id wins and both records are kept.
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].id, "wordnet-3.0|en|house|noun");
        let document = decoded(&documents[0]);
        let records = document.get_array(RECORDS).expect("records");
        let keys: Vec<&str> = records
            .iter()
            .map(|r| {
                r.as_document()
                    .and_then(|d| d.get_str("key").ok())
                    .expect("key")
            })
            .collect();
        assert_eq!(keys, ["house-1", "house-2"]);
        let first = records[0].as_document().expect("a document");
        assert_eq!(first.get_str("id"), Ok("wordnet-3.0|en|house-1"));
        assert_eq!(first.get_str("payload"), Ok("the text of house-1"));
        assert!(!first.contains_key("source") && !first.contains_key("_id"));
        assert_eq!(entry_from_document(document), Ok(later));
    }

    #[test]
    fn entries_round_trip() {
        let document = entry_to_document(&entry()).expect("encodes");
        assert_eq!(entry_from_document(document), Ok(entry()));
    }

    #[test]
    fn a_wrongly_typed_field_is_corrupt_and_named() {
        let mut document = entry_to_document(&entry()).expect("encodes");
        document.insert("senses", "not a list");
        let Err(StoreError::Corrupt(message)) = entry_from_document(document) else {
            panic!("expected Corrupt");
        };
        assert!(message.contains("wordnet-3.0|en|house|noun"), "{message}");
    }
}
