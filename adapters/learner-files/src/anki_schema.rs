//! The Anki collection schema (version 11, the one `collection.anki2` and `collection.anki21`
//! hold) as far as a reader needs it: the note types' field names (`col.models`, JSON; or the
//! `notetypes`/`fields` tables of a newer collection), the notes (fields joined by `\x1f`, tags
//! space-separated), their cards (template ordinal) and the review log (`revlog`, ids in
//! milliseconds). Kept apart from the package reading so a writer of packages can share it.
//!
//! The file comes from a learner: it is opened read-only, with `trusted_schema` off, and each of
//! these names must be a plain table (a view could run any query the file's author wrote).

use lingo_learning::import_words::RevlogEntry;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::Path;

/// The separator of a note's fields.
pub const FIELD_SEPARATOR: char = '\u{1f}';

/// The tables every collection of schema 11 has.
pub const REQUIRED_TABLES: [&str; 4] = ["col", "notes", "cards", "revlog"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the collection is not a readable Anki database: {0}")]
    Database(String),
    #[error("the collection has no table {0:?}: not an Anki collection")]
    MissingTable(&'static str),
    #[error("the collection's note types cannot be read: {0}")]
    NoteTypes(String),
    #[error("the collection holds more than {0} {1}")]
    TooMany(usize, &'static str),
}

fn database(e: rusqlite::Error) -> SchemaError {
    SchemaError::Database(e.to_string())
}

/// A note as stored: its fields still joined and marked up.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredNote {
    pub id: i64,
    pub note_type: i64,
    /// `None` when the column does not hold UTF-8 text.
    pub fields: Option<String>,
    pub tags: String,
}

/// A card as stored: which note, which template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCard {
    pub id: i64,
    pub note: i64,
    pub template: i64,
}

/// An open collection.
pub struct Collection {
    conn: Connection,
}

impl Collection {
    /// Opens the SQLite file at `path` read-only and checks the tables are there.
    pub fn open(path: &Path) -> Result<Self, SchemaError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(database)?;
        conn.execute_batch("PRAGMA trusted_schema = OFF; PRAGMA query_only = ON;")
            .map_err(database)?;
        let collection = Self { conn };
        let tables = collection.tables()?;
        for table in REQUIRED_TABLES {
            if !tables.iter().any(|t| t == table) {
                return Err(SchemaError::MissingTable(table));
            }
        }
        Ok(collection)
    }

    fn tables(&self) -> Result<Vec<String>, SchemaError> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .map_err(database)?;
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(database)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(database)
    }

    /// Field names of each note type, in field order.
    pub fn field_names(&self) -> Result<HashMap<i64, Vec<String>>, SchemaError> {
        let models: String = self
            .conn
            .query_row("SELECT models FROM col LIMIT 1", [], |row| {
                Ok(match row.get_ref(0)? {
                    ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                    _ => String::new(),
                })
            })
            .map_err(database)?;
        let from_json = models_field_names(&models)?;
        if !from_json.is_empty() || !self.tables()?.iter().any(|t| t == "fields") {
            return Ok(from_json);
        }
        // Newer collections keep note types in tables and leave `col.models` empty.
        let mut statement = self
            .conn
            .prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")
            .map_err(database)?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(database)?;
        let mut names: HashMap<i64, Vec<String>> = HashMap::new();
        for row in rows {
            let (note_type, name) = row.map_err(database)?;
            names.entry(note_type).or_default().push(name);
        }
        Ok(names)
    }

    /// The notes in id order, at most `max`.
    pub fn notes(&self, max: usize) -> Result<Vec<StoredNote>, SchemaError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, mid, flds, tags FROM notes ORDER BY id LIMIT ?1")
            .map_err(database)?;
        let rows = statement
            .query_map([limit_plus_one(max)], |row| {
                Ok(StoredNote {
                    id: row.get(0)?,
                    note_type: row.get(1)?,
                    fields: text(row.get_ref(2)?),
                    tags: text(row.get_ref(3)?).unwrap_or_default(),
                })
            })
            .map_err(database)?;
        let notes = rows.collect::<Result<Vec<_>, _>>().map_err(database)?;
        if notes.len() > max {
            return Err(SchemaError::TooMany(max, "notes"));
        }
        Ok(notes)
    }

    /// Every card (id, note, template ordinal), at most `max`.
    pub fn cards(&self, max: usize) -> Result<Vec<StoredCard>, SchemaError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, nid, ord FROM cards ORDER BY id LIMIT ?1")
            .map_err(database)?;
        let rows = statement
            .query_map([limit_plus_one(max)], |row| {
                Ok(StoredCard {
                    id: row.get(0)?,
                    note: row.get(1)?,
                    template: row.get(2)?,
                })
            })
            .map_err(database)?;
        let cards = rows.collect::<Result<Vec<_>, _>>().map_err(database)?;
        if cards.len() > max {
            return Err(SchemaError::TooMany(max, "cards"));
        }
        Ok(cards)
    }

    /// The review log by card, at most `max` entries in all.
    pub fn revlog(&self, max: usize) -> Result<HashMap<i64, Vec<RevlogEntry>>, SchemaError> {
        let mut statement = self
            .conn
            .prepare("SELECT cid, id, ease, type, ivl FROM revlog ORDER BY id LIMIT ?1")
            .map_err(database)?;
        let rows = statement
            .query_map([limit_plus_one(max)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    RevlogEntry {
                        id: row.get(1)?,
                        ease: row.get(2)?,
                        kind: row.get(3)?,
                        interval: row.get(4)?,
                    },
                ))
            })
            .map_err(database)?;
        let mut by_card: HashMap<i64, Vec<RevlogEntry>> = HashMap::new();
        for (count, row) in rows.enumerate() {
            if count >= max {
                return Err(SchemaError::TooMany(max, "review log entries"));
            }
            let (card, entry) = row.map_err(database)?;
            by_card.entry(card).or_default().push(entry);
        }
        Ok(by_card)
    }
}

fn limit_plus_one(max: usize) -> i64 {
    i64::try_from(max).unwrap_or(i64::MAX - 1).saturating_add(1)
}

fn text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok().map(str::to_owned),
        _ => None,
    }
}

/// Field names by note type id from the `col.models` JSON: `{"<id>": {"flds": [{"name": …,
/// "ord": …}, …]}, …}`. Empty text or `{}` is no note type (a newer collection).
pub fn models_field_names(models: &str) -> Result<HashMap<i64, Vec<String>>, SchemaError> {
    if models.trim().is_empty() {
        return Ok(HashMap::new());
    }
    let value: serde_json::Value =
        serde_json::from_str(models).map_err(|e| SchemaError::NoteTypes(e.to_string()))?;
    let object = value
        .as_object()
        .ok_or_else(|| SchemaError::NoteTypes("not a JSON object".into()))?;
    let mut names = HashMap::with_capacity(object.len());
    for (id, model) in object {
        let id: i64 = id
            .parse()
            .map_err(|_| SchemaError::NoteTypes(format!("note type id {id:?}")))?;
        let mut fields: Vec<(i64, String)> = model
            .get("flds")
            .and_then(|f| f.as_array())
            .ok_or_else(|| SchemaError::NoteTypes(format!("note type {id} has no fields")))?
            .iter()
            .enumerate()
            .map(|(at, field)| {
                let ord = field
                    .get("ord")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(at as i64);
                let name = field
                    .get("name")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                (ord, name)
            })
            .collect();
        fields.sort_by_key(|(ord, _)| *ord);
        names.insert(id, fields.into_iter().map(|(_, name)| name).collect());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_the_models_json_in_field_order() {
        let names = models_field_names(
            r#"{"1607392319": {"name": "Vocab", "flds": [{"name": "Back", "ord": 1}, {"name": "Word", "ord": 0}]}}"#,
        )
        .expect("valid");
        assert_eq!(names[&1_607_392_319], ["Word", "Back"]);
        assert!(models_field_names("{}").expect("valid").is_empty());
        assert!(models_field_names("[1, 2]").is_err());
        assert!(models_field_names("{\"x\": {}}").is_err());
    }
}
