//! An Anki package (`.apkg`): a zip holding the collection as an SQLite file,
//! `collection.anki21` (Anki 2.1) or `collection.anki2` (older, and genanki). The collection is
//! copied out of the zip next to the upload, no further than the uncompressed limit (a zip bomb
//! stops there), read, and removed. Packages of Anki 2.1.50 and later that hold only the newer
//! `collection.anki21b` (zstd-compressed, another schema) are refused with a message saying how
//! to export one Lingo reads.
//!
//! Each note becomes a row: the note type's fields map to the word, its translation and a note
//! by their names (`Word`/`Front`/`Expression` …, `Translation`/`Back`/`Meaning` …,
//! `Notes`/`Extra`/`Example` …), else by position (first, second); markup and `[sound:…]` tags
//! are removed. The note's cards carry their template ordinal and review log.

use crate::anki_schema::{Collection, FIELD_SEPARATOR, SchemaError, StoredNote};
use lingo_dictfiles::text::clean_text;
use lingo_learning::import_words::{
    ListedCard, ListedWord, ReadLimits, RowError, WordList, WordListError,
};
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Collection files by preference.
const COLLECTIONS: [&str; 2] = ["collection.anki21", "collection.anki2"];
const NEWER_COLLECTION: &str = "collection.anki21b";

/// Cards per note, at most, on average: a limit on the `cards` table from the note limit.
const CARDS_PER_NOTE: usize = 10;

const WORD_NAMES: &[&str] = &[
    "word",
    "lemma",
    "front",
    "expression",
    "term",
    "vocabulary",
    "vocab",
    "headword",
    "target",
];
const TRANSLATION_NAMES: &[&str] = &["translation", "meaning", "back", "definition", "gloss"];
const NOTE_NAMES: &[&str] = &[
    "note", "notes", "extra", "comment", "comments", "example", "examples", "sentence",
];

fn invalid(reason: impl Into<String>) -> WordListError {
    WordListError::Invalid(reason.into())
}

fn schema(e: SchemaError) -> WordListError {
    invalid(e.to_string())
}

/// The temporary copy of the collection, removed when dropped.
struct Extracted(PathBuf);

impl Drop for Extracted {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            tracing::warn!(path = %self.0.display(), error = %e, "extracted collection not removed");
        }
    }
}

/// Reads the package at `path`.
pub fn read(path: &Path, limits: &ReadLimits) -> Result<WordList, WordListError> {
    let extracted = extract_collection(path, limits.max_uncompressed_bytes)?;
    let collection = Collection::open(&extracted.0).map_err(schema)?;
    read_collection(&collection, limits)
}

fn extract_collection(path: &Path, max_bytes: u64) -> Result<Extracted, WordListError> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => invalid("the upload is gone (imported already?)"),
        _ => WordListError::Unreadable(e.to_string()),
    })?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| invalid(format!("not an Anki package (.apkg is a zip file): {e}")))?;
    let name = COLLECTIONS
        .iter()
        .find(|name| zip.index_for_name(name).is_some())
        .copied();
    let name = match name {
        Some(name) if zip.index_for_name(NEWER_COLLECTION).is_none() => name,
        _ if zip.index_for_name(NEWER_COLLECTION).is_some() => {
            return Err(invalid(
                "this package holds only the collection format of Anki 2.1.50 and later; \
                 export it again with \"Support older Anki versions\" checked",
            ));
        }
        _ => {
            return Err(invalid(
                "not an Anki package: no collection.anki21 or collection.anki2 inside",
            ));
        }
    };
    let mut entry = zip
        .by_name(name)
        .map_err(|e| invalid(format!("{name} cannot be read: {e}")))?;
    if entry.size() > max_bytes {
        return Err(invalid(format!(
            "the collection is larger than {max_bytes} bytes uncompressed"
        )));
    }
    let target = path.with_extension(format!("{}.sqlite", uuid::Uuid::now_v7()));
    let extracted = Extracted(target.clone());
    let mut out = File::create(&target).map_err(|e| WordListError::Unreadable(e.to_string()))?;
    let copied = std::io::copy(&mut (&mut entry).take(max_bytes + 1), &mut out)
        .map_err(|e| invalid(format!("{name} cannot be decompressed: {e}")))?;
    if copied > max_bytes {
        return Err(invalid(format!(
            "the collection is larger than {max_bytes} bytes uncompressed"
        )));
    }
    out.flush()
        .map_err(|e| WordListError::Unreadable(e.to_string()))?;
    Ok(extracted)
}

fn read_collection(
    collection: &Collection,
    limits: &ReadLimits,
) -> Result<WordList, WordListError> {
    let field_names = collection.field_names().map_err(schema)?;
    let notes = collection.notes(limits.max_rows).map_err(schema)?;
    let cards = collection
        .cards(limits.max_rows.saturating_mul(CARDS_PER_NOTE))
        .map_err(schema)?;
    let mut revlog = collection.revlog(limits.max_reviews).map_err(schema)?;
    let mut cards_of: HashMap<i64, Vec<ListedCard>> = HashMap::new();
    for card in cards {
        let Ok(template) = u32::try_from(card.template) else {
            continue;
        };
        cards_of.entry(card.note).or_default().push(ListedCard {
            template,
            revlog: revlog.remove(&card.id).unwrap_or_default(),
        });
    }
    let mut list = WordList::default();
    for note in notes {
        match listed(&note, &field_names) {
            Ok(mut word) => {
                word.cards = cards_of.remove(&note.id).unwrap_or_default();
                list.words.push(word);
            }
            Err(error) => list.errors.push(error),
        }
    }
    Ok(list)
}

/// Which field holds the word, the translation and the note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldRoles {
    word: usize,
    translation: Option<usize>,
    note: Option<usize>,
}

fn named(names: &[String], wanted: &[&str], taken: &[usize]) -> Option<usize> {
    names.iter().enumerate().find_map(|(at, name)| {
        let name = name.trim().to_lowercase();
        (wanted.contains(&name.as_str()) && !taken.contains(&at)).then_some(at)
    })
}

fn roles(names: &[String], fields: usize) -> FieldRoles {
    let word = named(names, WORD_NAMES, &[]).unwrap_or(0);
    let translation =
        named(names, TRANSLATION_NAMES, &[word]).or_else(|| (0..fields).find(|at| *at != word));
    let taken: Vec<usize> = std::iter::once(word).chain(translation).collect();
    FieldRoles {
        word,
        translation,
        note: named(names, NOTE_NAMES, &taken),
    }
}

/// A field as plain text: markup, `[sound:…]` and `[anki:…]` tags removed.
fn plain(field: &str) -> String {
    let mut text = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(start) = rest.find('[') {
        text.push_str(&rest[..start]);
        let after = &rest[start..];
        let media = after.starts_with("[sound:") || after.starts_with("[anki:");
        match after.find(']') {
            Some(end) if media => rest = &after[end + 1..],
            _ => {
                text.push('[');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    clean_text(&text)
}

fn listed(
    note: &StoredNote,
    field_names: &HashMap<i64, Vec<String>>,
) -> Result<ListedWord, RowError> {
    let fields = note
        .fields
        .as_deref()
        .ok_or_else(|| RowError::of_note(note.id, "the note's fields are not UTF-8 text"))?;
    let fields: Vec<&str> = fields.split(FIELD_SEPARATOR).collect();
    let names = field_names
        .get(&note.note_type)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let roles = roles(names, fields.len());
    let field = |at: Option<usize>| {
        at.and_then(|at| fields.get(at))
            .map(|f| plain(f))
            .filter(|t| !t.is_empty())
    };
    Ok(ListedWord {
        line: None,
        note_id: Some(note.id),
        lemma: field(Some(roles.word)).unwrap_or_default(),
        translation: field(roles.translation),
        note: field(roles.note),
        tags: note.tags.split_whitespace().map(str::to_owned).collect(),
        cards: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn fields_map_by_name_else_by_position() {
        assert_eq!(
            roles(&names(&["Meaning", "Example", "Word"]), 3),
            FieldRoles {
                word: 2,
                translation: Some(0),
                note: Some(1)
            }
        );
        assert_eq!(
            roles(&names(&["Question", "Answer"]), 2),
            FieldRoles {
                word: 0,
                translation: Some(1),
                note: None
            }
        );
        assert_eq!(
            roles(&[], 1),
            FieldRoles {
                word: 0,
                translation: None,
                note: None
            }
        );
    }

    #[test]
    fn media_references_and_markup_leave_plain_text() {
        assert_eq!(plain("<b>house</b> [sound:house.mp3]"), "house");
        assert_eq!(plain("a [b] c&nbsp;d"), "a [b] c d");
    }
}
