//! A package written from a small deck read back two ways: unzipped and opened with SQLite
//! (schema 11 tables, `col` JSON, rows), and imported by Anki's own library (PyPI `anki`,
//! installed into `.dev/venv` by `deploy/local/stack.sh venv`; `LINGO_TEST_PYTHON` names
//! another interpreter). A missing interpreter fails the test: CI must have it.

use chrono::{DateTime, Duration, Utc};
use lingo_apkg::AnkiPackager;
use lingo_apkg::anki_schema::{MODEL_ID, SCHEMA_VERSION};
use lingo_kernel::{CardId, UserId, WordId};
use lingo_learning::card::{Card, CardSnapshot, CardType};
use lingo_learning::card_material::{
    CardMaterial, CardNote, CustomTranslation, SourceSentence, Tags,
};
use lingo_learning::deck::{Deck, DeckName};
use lingo_learning::export_deck::{DeckContents, ExportedCard, ExportedReview};
use lingo_learning::scheduler::{CardSchedule, CardState};
use lingo_learning::study_queue::WordSummary;
use rusqlite::Connection;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn at(days: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).expect("time") + Duration::days(days)
}

fn card(
    owner: UserId,
    deck: &Deck,
    word: WordId,
    card_type: CardType,
    created: DateTime<Utc>,
) -> Card {
    Card {
        id: CardId::new(),
        user: owner,
        deck: deck.id,
        word,
        card_type,
        schedule: CardSchedule {
            state: CardState::Learning,
            step: Some(0),
            stability: None,
            difficulty: None,
            due: created,
            last_review: None,
        },
        reps: 0,
        lapses: 0,
        suspended: false,
        buried_until: None,
        leech: false,
        version: 0,
        created_at: created,
        reset_at: None,
        material: CardMaterial::default(),
    }
}

/// "harbour" (recognition reviewed twice, now in review with FSRS memory; recall new) and
/// "lantern" (recognition only, suspended), with material that needs escaping.
fn contents() -> DeckContents {
    let owner = UserId::new();
    let deck = Deck::new(
        owner,
        DeckName::parse("Sea words").expect("name"),
        "Words <from> the sea".into(),
        vec![CardType::Recognition, CardType::Recall],
        at(0),
    );
    let (harbour, lantern) = (WordId::new(), WordId::new());
    let mut reviewed = card(owner, &deck, harbour, CardType::Recognition, at(0));
    reviewed.schedule = CardSchedule {
        state: CardState::Review,
        step: None,
        stability: Some(8.5),
        difficulty: Some(4.25),
        due: at(10),
        last_review: Some(at(2)),
    };
    reviewed.reps = 2;
    reviewed.material = CardMaterial {
        note: Some(CardNote::parse("boats <sleep>\nhere").expect("note")),
        translation: Some(CustomTranslation::parse("bandar").expect("translation")),
        tags: Tags::parse(&["sea", "book:moby"]).expect("tags"),
        source_sentence: Some(
            SourceSentence::parse("The boats slept in the harbour.").expect("sentence"),
        ),
    };
    let new_card = CardSnapshot::unreviewed(at(0));
    let learning = CardSnapshot {
        state: CardState::Learning,
        step: Some(1),
        stability: Some(2.0),
        difficulty: Some(5.0),
        due: at(1),
        last_review: Some(at(1) - Duration::minutes(10)),
        reps: 1,
        ..new_card.clone()
    };
    let reviews = vec![
        ExportedReview {
            reviewed_at: at(1) - Duration::minutes(10),
            rating: 3,
            duration_ms: Some(4_000),
            before: new_card,
            after: learning.clone(),
        },
        ExportedReview {
            reviewed_at: at(2),
            rating: 4,
            duration_ms: Some(90_000),
            before: learning,
            after: reviewed.snapshot(),
        },
    ];
    let recall = card(owner, &deck, harbour, CardType::Recall, at(0));
    let mut suspended = card(
        owner,
        &deck,
        lantern,
        CardType::Recognition,
        at(0) + Duration::hours(1),
    );
    suspended.suspended = true;
    let word = |lemma: &str| WordSummary {
        language: "en".into(),
        lemma: lemma.into(),
    };
    DeckContents {
        deck,
        cards: vec![
            ExportedCard {
                card: reviewed,
                word: word("harbour"),
                part_of_speech: "noun".into(),
                reviews,
                translation: Some("bandar".into()),
            },
            ExportedCard {
                card: recall,
                word: word("harbour"),
                part_of_speech: "noun".into(),
                reviews: vec![],
                translation: Some("bandar".into()),
            },
            ExportedCard {
                card: suspended,
                word: word("lantern"),
                part_of_speech: "noun".into(),
                reviews: vec![],
                translation: Some("fanous; cheragh".into()),
            },
        ],
    }
}

/// The package unzipped into `dir`: the path of its collection.
fn unzip(package: &[u8], dir: &Path) -> PathBuf {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.expect("a file name").to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["collection.anki2", "media"]);
    let mut media = String::new();
    archive
        .by_name("media")
        .expect("media")
        .read_to_string(&mut media)
        .expect("media read");
    assert_eq!(media, "{}");
    let mut collection = Vec::new();
    let mut entry = archive.by_name("collection.anki2").expect("collection");
    assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    entry.read_to_end(&mut collection).expect("collection read");
    let path = dir.join("collection.anki2");
    std::fs::write(&path, collection).expect("written");
    path
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lingo-apkg-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn the_package_is_a_schema_11_collection_with_one_note_per_word_and_the_review_history() {
    let package = AnkiPackager::write(&contents(), at(20)).expect("package");
    let dir = scratch();
    let db = Connection::open(unzip(&package, &dir)).expect("sqlite opens");

    let mut tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("names");
    tables.sort();
    assert_eq!(tables, ["cards", "col", "graves", "notes", "revlog"]);

    let (ver, models, decks, dconf): (i64, String, String, String) = db
        .query_row("SELECT ver, models, decks, dconf FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("col row");
    assert_eq!(ver, SCHEMA_VERSION);
    let models: serde_json::Value = serde_json::from_str(&models).expect("models json");
    let model = &models[MODEL_ID.to_string()];
    assert_eq!(model["flds"].as_array().expect("fields").len(), 4);
    assert_eq!(model["tmpls"].as_array().expect("templates").len(), 3);
    let decks: serde_json::Value = serde_json::from_str(&decks).expect("decks json");
    assert!(
        decks
            .as_object()
            .expect("decks")
            .values()
            .any(|d| d["name"] == "Sea words"),
        "{decks}"
    );
    assert!(serde_json::from_str::<serde_json::Value>(&dconf).expect("dconf")["1"].is_object());

    let notes: Vec<(String, String, String)> = db
        .prepare("SELECT flds, tags, sfld FROM notes ORDER BY id")
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("notes");
    assert_eq!(notes.len(), 2);
    let fields: Vec<&str> = notes[0].0.split('\u{1f}').collect();
    assert_eq!(
        fields,
        [
            "harbour",
            "bandar",
            "boats &lt;sleep&gt;<br>here",
            "The boats slept in the harbour."
        ]
    );
    assert_eq!(notes[0].1, " book:moby sea ");
    assert_eq!(notes[0].2, "harbour");

    let cards: Vec<(i64, i64, i64, i64, String)> = db
        .prepare("SELECT ord, type, queue, reps, data FROM cards ORDER BY id")
        .expect("query")
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("cards");
    assert_eq!(cards.len(), 3);
    assert_eq!(
        (cards[0].0, cards[0].1, cards[0].2, cards[0].3),
        (0, 2, 2, 2)
    );
    let memory: serde_json::Value = serde_json::from_str(&cards[0].4).expect("card data");
    assert_eq!(memory["s"], 8.5);
    assert_eq!(memory["d"], 4.25);
    assert_eq!(
        (cards[1].0, cards[1].1, cards[1].2),
        (1, 0, 0),
        "the recall card is new"
    );
    assert_eq!(
        cards[2].2, -1,
        "the suspended card is suspended in Anki too"
    );

    let revlog: Vec<(i64, i64, i64)> = db
        .prepare("SELECT ease, type, time FROM revlog ORDER BY id")
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("revlog");
    assert_eq!(revlog, [(3, 0, 4_000), (4, 0, 60_000)]);
    drop(db);
    std::fs::remove_dir_all(dir).expect("cleaned");
}

/// The Python with the `anki` package: `LINGO_TEST_PYTHON`, else the repository's `.dev/venv`.
fn python() -> PathBuf {
    std::env::var_os("LINGO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.dev/venv/bin/python"))
}

/// What Anki itself made of `package` (see `read_apkg.py`).
pub fn read_with_anki(package: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_apkg.py");
    let output = Command::new(python())
        .arg(&script)
        .arg(package)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); run `deploy/local/stack.sh venv` to install anki",
                python().display()
            )
        });
    assert!(
        output.status.success(),
        "Anki refused the package (is `anki` installed? `deploy/local/stack.sh venv`): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the reader prints JSON")
}

#[test]
fn anki_imports_the_package_with_its_notes_cards_scheduling_and_history() {
    let package = AnkiPackager::write(&contents(), at(20)).expect("package");
    let dir = scratch();
    let path = dir.join("sea.apkg");
    std::fs::write(&path, &package).expect("written");
    let anki = read_with_anki(&path);
    std::fs::remove_dir_all(dir).expect("cleaned");

    assert_eq!(anki["imported_notes"], 2, "{anki}");
    let notes = anki["notes"].as_array().expect("notes");
    let harbour = notes
        .iter()
        .find(|n| n["fields"]["Lemma"] == "harbour")
        .expect("harbour imported");
    assert_eq!(harbour["notetype"], "Lingo word");
    assert_eq!(harbour["fields"]["Translation"], "bandar");
    assert_eq!(harbour["tags"], serde_json::json!(["book:moby", "sea"]));
    let cards = anki["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 3, "{anki}");
    assert!(cards.iter().all(|c| c["deck"] == "Sea words"), "{anki}");
    let reviewed = cards
        .iter()
        .find(|c| c["reps"] == 2)
        .expect("the reviewed card");
    assert_eq!(reviewed["type"], 2, "in review: {reviewed}");
    assert_eq!(reviewed["stability"], 8.5, "FSRS memory kept: {reviewed}");
    assert!(
        reviewed["question"]
            .as_str()
            .expect("question")
            .contains("harbour")
    );
    assert!(
        cards.iter().any(|c| c["queue"] == -1),
        "the suspended card: {anki}"
    );
    assert_eq!(anki["revlog"].as_array().expect("revlog").len(), 2);
}
