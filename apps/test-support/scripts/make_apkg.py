"""Makes an Anki package (.apkg) for the learner-import tests, with genanki (PyPI).

Reads a JSON spec on standard input and writes the package to the path given as the only
argument:

    {"fields": ["Word", "Translation", "Notes"],   # the note type's fields
     "templates": 1,                               # 1: front→back; 2: and the reverse
     "notes": [{"fields": ["house", "خانه", ""], "tags": ["home"]}, ...],
     "revlog": [{"note": 0, "ord": 0, "id": 1767225600000, "ease": 3, "type": 0, "ivl": 1}],
     "collection": "collection.anki2"}             # or "collection.anki21"

genanki writes no review history; `revlog` rows are added to its collection with sqlite3, the
way Anki stores them (id = answer time in ms, ease 1-4, type 0 learn / 1 review / 2 relearn /
4 manual). `collection` names the SQLite file inside the zip.
"""

import json
import os
import sqlite3
import sys
import tempfile
import zipfile

import genanki


def main():
    spec = json.load(sys.stdin)
    out = sys.argv[1]
    fields = spec.get("fields", ["Front", "Back"])
    templates = [
        {
            "name": "Card 1",
            "qfmt": "{{%s}}" % fields[0],
            "afmt": "{{FrontSide}}<hr id=answer>{{%s}}" % fields[-1],
        }
    ]
    if spec.get("templates", 1) == 2:
        templates.append(
            {
                "name": "Card 2",
                "qfmt": "{{%s}}" % fields[-1],
                "afmt": "{{FrontSide}}<hr id=answer>{{%s}}" % fields[0],
            }
        )
    model = genanki.Model(
        1607392319,
        "Lingo test vocabulary",
        fields=[{"name": name} for name in fields],
        templates=templates,
    )
    deck = genanki.Deck(2059400110, "Lingo test deck")
    notes = []
    for note in spec["notes"]:
        created = genanki.Note(model=model, fields=note["fields"], tags=note.get("tags", []))
        deck.add_note(created)
        notes.append(created)
    with tempfile.TemporaryDirectory() as work:
        plain = os.path.join(work, "plain.apkg")
        genanki.Package(deck).write_to_file(plain)
        with zipfile.ZipFile(plain) as package:
            package.extractall(work)
        collection = os.path.join(work, "collection.anki2")
        add_revlog(collection, notes, spec.get("revlog", []))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(collection, spec.get("collection", "collection.anki2"))
            package.writestr("media", "{}")


def add_revlog(path, notes, revlog):
    if not revlog:
        return
    db = sqlite3.connect(path)
    for entry in revlog:
        guid = notes[entry["note"]].guid
        (card,) = db.execute(
            "SELECT c.id FROM cards c JOIN notes n ON n.id = c.nid WHERE n.guid = ? AND c.ord = ?",
            (guid, entry.get("ord", 0)),
        ).fetchone()
        db.execute(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "VALUES (?, ?, -1, ?, ?, 0, 2500, 6000, ?)",
            (entry["id"], card, entry["ease"], entry.get("ivl", 1), entry.get("type", 1)),
        )
    db.commit()
    db.close()


if __name__ == "__main__":
    main()
