//! Replaces (or inserts) many documents by `_id`: per chunk, one `insert` command, then one
//! `update` command with upserts for the documents that already existed (duplicate `_id`).
//!
//! Why insert first: a server inserts several times faster than it runs upsert statements
//! (measured on the development server: ~3,700 inserts/s against ~1,300 upserts/s), and a first
//! import — the bulk of all writes — only inserts. A re-import pays one failed insert per
//! document before its replacement, which is the price of the fast first import.
//!
//! Why one command with many statements: the development and test server answers roughly 1,700
//! requests a second, so a round trip per document would make every import and every lookup
//! that stores several entries pay that latency per entry. The `update` database command takes
//! up to 100,000 statements in one request and is standard on every MongoDB version; the
//! driver's `Client::bulk_write` needs MongoDB 8.0, and one `replace_one` per document is a
//! round trip each.

use lingo_dictionary::ports::StoreError;
use mongodb::Database;
use mongodb::bson::{Bson, Document, RawArrayBuf, RawDocumentBuf};
use std::collections::HashMap;
use std::time::Duration;

use crate::bounded::within;

/// Statements per command: far below the server's 100,000.
const MAX_STATEMENTS: usize = 1_000;
/// Bytes of replacement documents per command: well below the 16 MiB limit of a command.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A replacement document, encoded once, and the `_id` it is stored under.
pub(crate) struct Replacement {
    pub id: String,
    pub document: RawDocumentBuf,
}

impl Replacement {
    pub fn encode(id: String, document: &Document) -> Result<Self, StoreError> {
        let document = RawDocumentBuf::from_document(document)
            .map_err(|e| StoreError::Unavailable(format!("cannot encode document {id}: {e}")))?;
        Ok(Self { id, document })
    }
}

/// Upserts every replacement, `ordered: false` so that one bad document does not stop the
/// others; any write error fails the call (with the first error's message). Repeating the call
/// is harmless: statements are keyed by `_id`. Each chunk is bounded by `chunk_limit`.
pub(crate) async fn upsert_by_id(
    database: &Database,
    collection: &str,
    replacements: Vec<Replacement>,
    chunk_limit: Duration,
) -> Result<(), StoreError> {
    let write = |chunk| {
        within(
            chunk_limit,
            "a bulk write",
            insert_or_replace(database, collection, chunk),
        )
    };
    let mut chunk = Vec::new();
    let mut bytes = 0;
    for replacement in last_per_id(replacements) {
        let size = replacement.document.as_bytes().len();
        if !chunk.is_empty() && (chunk.len() == MAX_STATEMENTS || bytes + size > MAX_BYTES) {
            write(std::mem::take(&mut chunk)).await?;
            bytes = 0;
        }
        bytes += size;
        chunk.push(replacement);
    }
    if !chunk.is_empty() {
        write(chunk).await?;
    }
    Ok(())
}

/// Whether a duplicate-key error is on `_id` (the document exists) rather than on another
/// unique index (a real refusal): `keyPattern` where the server gives it, else the message.
fn on_id(error: &Document, message: &str) -> bool {
    match error.get_document("keyPattern") {
        Ok(pattern) => pattern.contains_key("_id"),
        Err(_) => message.contains("_id_") || message.contains("_id:"),
    }
}

/// The server's code for a duplicate key.
const DUPLICATE_KEY: f64 = 11000.0;

/// Inserts the chunk (`ordered: false`: every document is tried); the documents whose `_id`
/// exists are then replaced with upserts. Any other write error fails the call.
async fn insert_or_replace(
    database: &Database,
    collection: &str,
    chunk: Vec<Replacement>,
) -> Result<(), StoreError> {
    let mut documents = RawArrayBuf::new();
    for replacement in &chunk {
        let mut document = replacement.document.clone();
        if document.get("_id").ok().flatten().is_none() {
            document.append("_id", replacement.id.clone());
        }
        documents.push(document);
    }
    let mut command = RawDocumentBuf::new();
    command.append("insert", collection);
    command.append("documents", documents);
    command.append("ordered", false);
    let reply = database
        .run_raw_command(command)
        .await
        .map_err(crate::entry_store::unavailable)?;
    let ok = reply.get("ok").and_then(number).unwrap_or(0.0);
    if ok != 1.0 {
        return Err(StoreError::Unavailable(format!(
            "insert into {collection} failed: {reply}"
        )));
    }
    let mut existing = Vec::new();
    let mut refused: Vec<(usize, String)> = Vec::new();
    if let Ok(errors) = reply.get_array("writeErrors") {
        for error in errors {
            let Bson::Document(error) = error else {
                continue;
            };
            let index = error
                .get("index")
                .and_then(number)
                .map_or(usize::MAX, |i| i as usize);
            let message = error.get_str("errmsg").unwrap_or("no message").to_owned();
            if error.get("code").and_then(number) == Some(DUPLICATE_KEY)
                && on_id(error, &message)
                && index < chunk.len()
            {
                existing.push(index);
            } else {
                refused.push((index, message));
            }
        }
    }
    if let Some((index, message)) = refused.first() {
        let id = chunk.get(*index).map_or("?", |r| r.id.as_str());
        return Err(StoreError::Unavailable(format!(
            "{} of {} writes to {collection} failed; first (document {id}): {message}",
            refused.len(),
            chunk.len()
        )));
    }
    if existing.is_empty() {
        return Ok(());
    }
    let keep: std::collections::HashSet<usize> = existing.into_iter().collect();
    let replacements: Vec<Replacement> = chunk
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, r)| r)
        .collect();
    run_update(database, collection, replacements).await
}

/// The last of several replacements for one `_id` wins, as if they were written one by one:
/// `ordered: false` promises no order within a command.
fn last_per_id(replacements: Vec<Replacement>) -> Vec<Replacement> {
    let last: HashMap<String, usize> = replacements
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    replacements
        .into_iter()
        .enumerate()
        .filter(|(i, r)| last.get(&r.id) == Some(i))
        .map(|(_, r)| r)
        .collect()
}

async fn run_update(
    database: &Database,
    collection: &str,
    chunk: Vec<Replacement>,
) -> Result<(), StoreError> {
    let statements = chunk.len();
    let ids: Vec<String> = chunk.iter().map(|r| r.id.clone()).collect();
    let mut updates = RawArrayBuf::new();
    for Replacement { id, document } in chunk {
        let mut query = RawDocumentBuf::new();
        query.append("_id", id);
        let mut statement = RawDocumentBuf::new();
        statement.append("q", query);
        statement.append("u", document);
        statement.append("upsert", true);
        updates.push(statement);
    }
    let mut command = RawDocumentBuf::new();
    command.append("update", collection);
    command.append("updates", updates);
    command.append("ordered", false);
    let reply = database
        .run_raw_command(command)
        .await
        .map_err(crate::entry_store::unavailable)?;
    check_reply(collection, &reply, statements, &ids)
}

/// The command succeeds as a whole (`ok: 1`) even when statements fail: those are listed in
/// `writeErrors`. Every statement matches or inserts exactly one document, so `n` must equal
/// the number of statements.
fn check_reply(
    collection: &str,
    reply: &Document,
    statements: usize,
    ids: &[String],
) -> Result<(), StoreError> {
    let ok = reply.get("ok").and_then(number).unwrap_or(0.0);
    if ok != 1.0 {
        return Err(StoreError::Unavailable(format!(
            "update of {collection} failed: {reply}"
        )));
    }
    if let Ok(errors) = reply.get_array("writeErrors")
        && let Some(Bson::Document(first)) = errors.first()
    {
        let message = first.get_str("errmsg").unwrap_or("no message");
        let id = first
            .get("index")
            .and_then(number)
            .and_then(|i| ids.get(i as usize))
            .map_or("?", String::as_str);
        return Err(StoreError::Unavailable(format!(
            "{} of {statements} writes to {collection} failed; first (document {id}): {message}",
            errors.len()
        )));
    }
    if let Ok(concern) = reply.get_document("writeConcernError") {
        return Err(StoreError::Unavailable(format!(
            "write concern error on {collection}: {concern}"
        )));
    }
    let written = reply.get("n").and_then(number).unwrap_or(-1.0);
    if written != statements as f64 {
        return Err(StoreError::Unavailable(format!(
            "update of {collection} wrote {written} of {statements} documents"
        )));
    }
    Ok(())
}

/// Servers answer counts and `ok` as int32, int64 or double.
fn number(value: &Bson) -> Option<f64> {
    match value {
        Bson::Int32(n) => Some(f64::from(*n)),
        Bson::Int64(n) => Some(*n as f64),
        Bson::Double(n) => Some(*n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mongodb::bson::doc;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("id{i}")).collect()
    }

    #[test]
    fn the_last_replacement_of_an_id_wins() {
        let replacements = [("a", 1), ("b", 2), ("a", 3)]
            .into_iter()
            .map(|(id, v)| Replacement::encode(id.into(), &doc! { "_id": id, "v": v }))
            .collect::<Result<Vec<_>, _>>()
            .expect("encodes");
        let kept: Vec<(String, i32)> = last_per_id(replacements)
            .into_iter()
            .map(|r| (r.id, r.document.get_i32("v").expect("v")))
            .collect();
        assert_eq!(kept, vec![("b".to_owned(), 2), ("a".to_owned(), 3)]);
    }

    #[test]
    fn a_reply_with_every_statement_written_is_accepted() {
        let reply = doc! { "n": 3, "nModified": 1, "ok": 1.0 };
        assert_eq!(check_reply("entries", &reply, 3, &ids(3)), Ok(()));
    }

    #[test]
    fn the_first_write_error_names_its_document() {
        let reply = doc! {
            "n": 1, "ok": 1,
            "writeErrors": [
                { "index": 1, "code": 2, "errmsg": "bad thing" },
                { "index": 2, "code": 2, "errmsg": "other" },
            ],
        };
        let Err(StoreError::Unavailable(message)) = check_reply("entries", &reply, 3, &ids(3))
        else {
            panic!("expected an error");
        };
        assert!(message.contains("2 of 3"), "{message}");
        assert!(message.contains("id1"), "{message}");
        assert!(message.contains("bad thing"), "{message}");
    }

    #[test]
    fn missing_writes_and_failed_commands_are_errors() {
        let short = doc! { "n": 2_i64, "ok": 1.0 };
        assert!(check_reply("entries", &short, 3, &ids(3)).is_err());
        let failed = doc! { "ok": 0.0, "errmsg": "no" };
        assert!(check_reply("entries", &failed, 1, &ids(1)).is_err());
    }
}
