//! The reader against Anki packages written at test time by genanki and by Anki's own library
//! (`apps/test-support/scripts/`; Python from `LINGO_TEST_PYTHON` or the repository's
//! `.dev/venv`, where `deploy/local/stack.sh venv` installs both). Without them these tests
//! fail: they are never skipped.

use lingo_learner_files::read_file;
use lingo_learning::import_words::{ReadLimits, WordList, WordListError, WordListFormat};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    std::env::var_os("LINGO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join(".dev/venv/bin/python"))
}

/// Runs `script` with `spec` and answers the package's path.
fn package(script: &str, spec: &Value) -> PathBuf {
    let out = std::env::temp_dir().join(format!("lingo-reader-{}.apkg", uuid::Uuid::new_v4()));
    let mut child = Command::new(python())
        .arg(repository().join("apps/test-support/scripts").join(script))
        .arg(&out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {:?}: {e}; run `deploy/local/stack.sh venv`",
                python()
            )
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(spec.to_string().as_bytes())
        .expect("spec written");
    let output = child.wait_with_output().expect("finished");
    assert!(
        output.status.success(),
        "{script}: {} (run `deploy/local/stack.sh venv`)",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn read(path: &Path) -> Result<WordList, WordListError> {
    let list = read_file(path, WordListFormat::Apkg, &ReadLimits::default());
    let _ = std::fs::remove_file(path);
    list
}

#[test]
fn a_genanki_package_reads_as_one_word_per_note_with_fields_by_name() {
    for collection in ["collection.anki2", "collection.anki21"] {
        let path = package(
            "make_apkg.py",
            &json!({"fields": ["Meaning", "Word", "Extra"], "templates": 2, "collection": collection,
                "notes": [{"fields": ["<b>خانه</b>", "house", "[sound:house.mp3]my note"], "tags": ["home", "a::b"]},
                          {"fields": ["درخت", "tree", ""]}],
                "revlog": [{"note": 0, "ord": 1, "id": 1767225600000i64, "ease": 4, "type": 0, "ivl": 4}]}),
        );
        let list = read(&path).expect("read");
        assert!(list.errors.is_empty(), "{:?}", list.errors);
        assert_eq!(list.words.len(), 2, "{collection}");
        let house = &list.words[0];
        assert_eq!(house.lemma, "house");
        assert_eq!(house.translation.as_deref(), Some("خانه"));
        assert_eq!(house.note.as_deref(), Some("my note"));
        assert_eq!(house.tags, ["home", "a::b"]);
        assert!(house.note_id.is_some());
        let reverse = house
            .cards
            .iter()
            .find(|c| c.template == 1)
            .expect("reverse card");
        assert_eq!(reverse.revlog.len(), 1);
        assert_eq!(reverse.revlog[0].ease, 4);
        assert_eq!(reverse.revlog[0].id, 1_767_225_600_000);
        assert!(
            house
                .cards
                .iter()
                .any(|c| c.template == 0 && c.revlog.is_empty())
        );
        assert_eq!(list.words[1].note, None);
    }
}

#[test]
fn a_package_exported_by_anki_reads_its_anki21_collection_not_the_legacy_stub() {
    let path = package(
        "make_apkg_with_anki.py",
        &json!({"notes": [{"front": "house", "back": "خانه"}, {"front": "tree", "back": "درخت"}],
                "answers": [1, 3]}),
    );
    let list = read(&path).expect("read");
    let lemmas: Vec<&str> = list.words.iter().map(|w| w.lemma.as_str()).collect();
    assert_eq!(lemmas, ["house", "tree"]);
    assert_eq!(list.words[0].translation.as_deref(), Some("خانه"));
    assert_eq!(list.words[0].cards.len(), 2);
    for card in &list.words[0].cards {
        let eases: Vec<i64> = card.revlog.iter().map(|r| r.ease).collect();
        assert_eq!(eases, [1, 3]);
    }
}

#[test]
fn a_garbage_collection_or_a_missing_one_is_refused_whole() {
    let dir = std::env::temp_dir().join(format!("lingo-garbage-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let not_zip = dir.join("a.apkg");
    std::fs::write(&not_zip, b"PK\x03\x04 but no zip").expect("written");
    assert!(
        matches!(read(&not_zip), Err(WordListError::Invalid(m)) if m.contains("not an Anki package"))
    );
    let gone = dir.join("gone.apkg");
    assert!(matches!(read(&gone), Err(WordListError::Invalid(m)) if m.contains("gone")));
    let _ = std::fs::remove_dir_all(&dir);
}
