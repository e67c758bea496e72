//! Anki's collection schema, version 11 (the `collection.anki2` of an `.apkg`, which every Anki
//! since 2.1 imports): the five tables, their indexes and the JSON `col` holds. Kept apart from
//! the writer so an importer can read against the same definitions.

/// Tables and indexes as Anki creates them for schema 11.
pub const SCHEMA_SQL: &str = r#"
CREATE TABLE col (
    id     integer PRIMARY KEY,
    crt    integer NOT NULL,
    mod    integer NOT NULL,
    scm    integer NOT NULL,
    ver    integer NOT NULL,
    dty    integer NOT NULL,
    usn    integer NOT NULL,
    ls     integer NOT NULL,
    conf   text NOT NULL,
    models text NOT NULL,
    decks  text NOT NULL,
    dconf  text NOT NULL,
    tags   text NOT NULL
);
CREATE TABLE notes (
    id    integer PRIMARY KEY,
    guid  text NOT NULL,
    mid   integer NOT NULL,
    mod   integer NOT NULL,
    usn   integer NOT NULL,
    tags  text NOT NULL,
    flds  text NOT NULL,
    sfld  integer NOT NULL,
    csum  integer NOT NULL,
    flags integer NOT NULL,
    data  text NOT NULL
);
CREATE TABLE cards (
    id     integer PRIMARY KEY,
    nid    integer NOT NULL,
    did    integer NOT NULL,
    ord    integer NOT NULL,
    mod    integer NOT NULL,
    usn    integer NOT NULL,
    type   integer NOT NULL,
    queue  integer NOT NULL,
    due    integer NOT NULL,
    ivl    integer NOT NULL,
    factor integer NOT NULL,
    reps   integer NOT NULL,
    lapses integer NOT NULL,
    left   integer NOT NULL,
    odue   integer NOT NULL,
    odid   integer NOT NULL,
    flags  integer NOT NULL,
    data   text NOT NULL
);
CREATE TABLE revlog (
    id      integer PRIMARY KEY,
    cid     integer NOT NULL,
    usn     integer NOT NULL,
    ease    integer NOT NULL,
    ivl     integer NOT NULL,
    lastIvl integer NOT NULL,
    factor  integer NOT NULL,
    time    integer NOT NULL,
    type    integer NOT NULL
);
CREATE TABLE graves (
    usn  integer NOT NULL,
    oid  integer NOT NULL,
    type integer NOT NULL
);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"#;

pub const SCHEMA_VERSION: i64 = 11;

/// The note type every exported note uses. A fixed id: a second export of the same deck
/// imports as updates of the same notes, not as a new note type.
pub const MODEL_ID: i64 = 1_733_300_000_001;
pub const MODEL_NAME: &str = "Lingo word";
/// Options group 1 (Anki's default group).
pub const DECK_CONFIG_ID: i64 = 1;

/// Field order of the note type.
pub const FIELDS: [&str; 4] = ["Lemma", "Translation", "Note", "Sentence"];

/// Templates by card ord: recognition, recall, typing (Lingo's card types in that order).
pub const TEMPLATES: [(&str, &str, &str); 3] = [
    (
        "Recognition",
        "{{Lemma}}",
        "{{FrontSide}}<hr id=answer>{{Translation}}{{#Note}}<br>{{Note}}{{/Note}}{{#Sentence}}<br><i>{{Sentence}}</i>{{/Sentence}}",
    ),
    (
        "Recall",
        "{{Translation}}",
        "{{FrontSide}}<hr id=answer>{{Lemma}}{{#Note}}<br>{{Note}}{{/Note}}{{#Sentence}}<br><i>{{Sentence}}</i>{{/Sentence}}",
    ),
    (
        "Typing",
        "{{Translation}}<br>{{type:Lemma}}",
        "{{Translation}}<hr id=answer>{{type:Lemma}}{{#Note}}<br>{{Note}}{{/Note}}",
    ),
];

const CSS: &str = ".card { font-family: arial; font-size: 24px; text-align: center; }";

/// `col.models`.
pub fn models(deck_id: i64, mod_secs: i64) -> serde_json::Value {
    let fields: Vec<_> = FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            serde_json::json!({"name": name, "ord": ord, "sticky": false, "rtl": false,
                               "font": "Arial", "size": 20, "media": []})
        })
        .collect();
    let templates: Vec<_> = TEMPLATES
        .iter()
        .enumerate()
        .map(|(ord, (name, front, back))| {
            serde_json::json!({"name": name, "ord": ord, "qfmt": front, "afmt": back,
                               "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})
        })
        .collect();
    serde_json::json!({
        MODEL_ID.to_string(): {
            "id": MODEL_ID, "name": MODEL_NAME, "type": 0, "mod": mod_secs, "usn": -1,
            "sortf": 0, "did": deck_id, "tmpls": templates, "flds": fields, "css": CSS,
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}", "latexsvg": false,
            "req": [[0, "any", [0]], [1, "any", [1]], [2, "any", [0, 1]]],
            "tags": [], "vers": []
        }
    })
}

fn deck(id: i64, name: &str, description: &str, mod_secs: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "name": name, "desc": description, "mod": mod_secs, "usn": -1,
        "collapsed": false, "browserCollapsed": false, "dyn": 0, "conf": DECK_CONFIG_ID,
        "extendNew": 0, "extendRev": 0, "newToday": [0, 0], "revToday": [0, 0],
        "lrnToday": [0, 0], "timeToday": [0, 0]
    })
}

/// `col.decks`: Anki's default deck and the exported one.
pub fn decks(deck_id: i64, name: &str, description: &str, mod_secs: i64) -> serde_json::Value {
    serde_json::json!({
        "1": deck(1, "Default", "", mod_secs),
        deck_id.to_string(): deck(deck_id, name, description, mod_secs),
    })
}

/// `col.dconf`: Anki's default options group.
pub fn deck_configs(mod_secs: i64) -> serde_json::Value {
    serde_json::json!({
        "1": {
            "id": DECK_CONFIG_ID, "name": "Default", "mod": mod_secs, "usn": -1,
            "maxTaken": 60, "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
            "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500,
                    "ints": [1, 4, 0], "order": 1, "perDay": 20},
            "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                    "perDay": 200, "hardFactor": 1.2},
            "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                      "mult": 0.0}
        }
    })
}

/// `col.conf`.
pub fn collection_config(deck_id: i64) -> serde_json::Value {
    serde_json::json!({
        "activeDecks": [deck_id], "curDeck": deck_id, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": MODEL_ID,
        "nextPos": 1, "sortType": "noteFld", "sortBackwards": false, "addToCur": true
    })
}
