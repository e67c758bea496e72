//! A raw record as a MongoDB document. The payload is stored as BSON when it converts exactly,
//! so it can be queried; otherwise (integers beyond int64, keys BSON cannot hold, nesting deeper
//! than MongoDB accepts) as its JSON text with format `json-text`, so nothing is lost.

use crate::entry_document::bson_date;
use lingo_dictionary::RawRecord;
use lingo_dictionary::normalise::fold_key;
use mongodb::bson::{Bson, Document, doc};
use serde_json::Value;

/// The format of a payload kept as JSON text.
pub const JSON_TEXT_FORMAT: &str = "json-text";

/// MongoDB refuses documents nested deeper than 100 levels; the payload sits one level down.
const MAX_PAYLOAD_DEPTH: usize = 90;

pub(crate) fn raw_record_to_document(record: &RawRecord) -> Document {
    let (format, payload) = match json_to_bson(&record.payload, 0) {
        Some(payload) => (record.format.as_str(), payload),
        None => (JSON_TEXT_FORMAT, Bson::String(record.payload.to_string())),
    };
    doc! {
        "_id": record.id(),
        "source": record.source.as_str(),
        "language": record.language.as_str(),
        "lemma": &record.lemma,
        "lemma_key": fold_key(&record.lemma),
        "key": &record.key,
        "format": format,
        "payload": payload,
        "received_at": bson_date(record.received_at),
    }
}

/// `None` when the value has no exact BSON form.
fn json_to_bson(value: &Value, depth: usize) -> Option<Bson> {
    if depth > MAX_PAYLOAD_DEPTH {
        return None;
    }
    Some(match value {
        Value::Null => Bson::Null,
        Value::Bool(b) => Bson::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Bson::Int64(i),
            // A u64 above i64::MAX would lose digits as a double.
            None if n.is_f64() => Bson::Double(n.as_f64()?),
            None => return None,
        },
        Value::String(s) => Bson::String(s.clone()),
        Value::Array(items) => Bson::Array(
            items
                .iter()
                .map(|item| json_to_bson(item, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Object(fields) => {
            let mut document = Document::new();
            for (key, field) in fields {
                if !storable_key(key) {
                    return None;
                }
                document.insert(key.clone(), json_to_bson(field, depth + 1)?);
            }
            Bson::Document(document)
        }
    })
}

/// BSON keys are C strings (no NUL). Keys starting with `$` are operators or DBRef fields to
/// MongoDB, and older servers refuse them in stored documents.
fn storable_key(key: &str) -> bool {
    !key.contains('\0') && !key.starts_with('$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_json_converts_exactly() {
        let value = json!({"a": [1, 2.5, "ز\u{200C}", null, {"b": true}], "c": i64::MIN});
        let bson = json_to_bson(&value, 0).expect("converts");
        assert_eq!(
            bson,
            Bson::Document(doc! {
                "a": [1_i64, 2.5, "ز\u{200C}", Bson::Null, { "b": true }],
                "c": i64::MIN,
            })
        );
    }

    #[test]
    fn values_bson_cannot_hold_do_not_convert() {
        assert_eq!(json_to_bson(&json!({"n": u64::MAX}), 0), None);
        assert_eq!(json_to_bson(&json!({"a\u{0}b": 1}), 0), None);
        assert_eq!(json_to_bson(&json!({"$ref": "x", "$id": 1}), 0), None);
        let mut deep = json!(1);
        for _ in 0..100 {
            deep = json!([deep]);
        }
        assert_eq!(json_to_bson(&deep, 0), None);
    }
}
