//! An entry as a MongoDB document: the domain struct through serde, plus `_id` (the entry's
//! stable id) and the top-level `lemma_key` and `source` that the index and the sort use.
//! `provenance.retrieved_at` is stored as a BSON date (milliseconds: finer precision is
//! dropped), so that it can be queried as a date.

use chrono::{DateTime, SecondsFormat, Utc};
use lingo_dictionary::Entry;
use lingo_dictionary::ports::StoreError;
use mongodb::bson::{self, Bson, Document, doc};

pub(crate) fn bson_date(at: DateTime<Utc>) -> Bson {
    Bson::DateTime(bson::DateTime::from_millis(at.timestamp_millis()))
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
