//! The `.apkg` file: the rows written into a fresh SQLite file (`collection.anki2`, schema 11)
//! in a private temporary directory, then zipped (deflate) with an empty `media` map. Blocking:
//! callers run it on a blocking thread.

use crate::anki_rows::{AnkiCollection, html};
use crate::anki_schema::{
    MODEL_ID, SCHEMA_SQL, SCHEMA_VERSION, collection_config, deck_configs, decks, models,
};
use lingo_learning::export_deck::PackageError;
use rusqlite::{Connection, params};
use std::io::Write;
use std::path::{Path, PathBuf};

fn failed(e: impl std::fmt::Display) -> PackageError {
    PackageError(e.to_string())
}

/// A directory removed when dropped, whatever happened.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<Self, PackageError> {
        let dir = std::env::temp_dir().join(format!("lingo-apkg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir).map_err(failed)?;
        Ok(Self(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(path = %self.0.display(), error = %e, "scratch directory left behind");
        }
    }
}

/// Anki's note checksum: the first 8 hex digits of the SHA-1 of the sort field's text.
fn checksum(text: &str) -> i64 {
    let digest = sha1_smol::Sha1::from(text).digest().bytes();
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// Text of a field without its HTML (the sort field and the checksum use it).
fn plain(field: &str) -> String {
    field
        .replace("<br>", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn write_collection(
    path: &Path,
    rows: &AnkiCollection,
    deck_name: &str,
    deck_description: &str,
    now_ms: i64,
) -> Result<(), PackageError> {
    let mut db = Connection::open(path).map_err(failed)?;
    db.execute_batch(SCHEMA_SQL).map_err(failed)?;
    let now_secs = now_ms / 1000;
    let tx = db.transaction().map_err(failed)?;
    tx.execute(
        "INSERT INTO col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags)
         VALUES (1, ?1, ?2, ?2, ?3, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            rows.created_secs,
            now_ms,
            SCHEMA_VERSION,
            collection_config(rows.deck_id).to_string(),
            models(rows.deck_id, now_secs).to_string(),
            decks(rows.deck_id, deck_name, &html(deck_description), now_secs).to_string(),
            deck_configs(now_secs).to_string(),
        ],
    )
    .map_err(failed)?;
    {
        let mut note = tx
            .prepare(
                "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
                 VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
            )
            .map_err(failed)?;
        for n in &rows.notes {
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            let sort = plain(&n.fields[0]);
            note.execute(params![
                n.id,
                n.guid,
                MODEL_ID,
                now_secs,
                tags,
                n.fields.join("\u{1f}"),
                sort,
                checksum(&sort),
            ])
            .map_err(failed)?;
        }
        let mut card = tx
            .prepare(
                "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor,
                                    reps, lapses, left, odue, odid, flags, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0, 0, ?14)",
            )
            .map_err(failed)?;
        for c in &rows.cards {
            card.execute(params![
                c.id,
                c.note_id,
                rows.deck_id,
                c.ord,
                now_secs,
                c.kind,
                c.queue,
                c.due,
                c.interval,
                c.factor,
                c.reps,
                c.lapses,
                c.left,
                c.data,
            ])
            .map_err(failed)?;
        }
        let mut review = tx
            .prepare(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
                 VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(failed)?;
        for r in &rows.reviews {
            review
                .execute(params![
                    r.id,
                    r.card_id,
                    r.ease,
                    r.interval,
                    r.last_interval,
                    r.factor,
                    r.time_ms,
                    r.kind,
                ])
                .map_err(failed)?;
        }
    }
    tx.commit().map_err(failed)?;
    db.close().map_err(|(_, e)| failed(e))
}

/// The whole `.apkg`.
pub fn write(
    rows: &AnkiCollection,
    deck_name: &str,
    deck_description: &str,
    now_ms: i64,
) -> Result<Vec<u8>, PackageError> {
    let scratch = ScratchDir::new()?;
    let path = scratch.0.join("collection.anki2");
    write_collection(&path, rows, deck_name, deck_description, now_ms)?;
    let collection = std::fs::read(&path).map_err(failed)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)
        .map_err(failed)?;
    zip.write_all(&collection).map_err(failed)?;
    zip.start_file("media", options).map_err(failed)?;
    zip.write_all(b"{}").map_err(failed)?;
    Ok(zip.finish().map_err(failed)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_the_first_eight_hex_digits_of_the_sha1() {
        // sha1("house") = 5be93480…, as Anki computes int(sha1(text)[:8], 16).
        assert_eq!(checksum("house"), 0x5be9_3480_i64);
    }
}
