"""Imports an .apkg into a fresh collection with Anki's own library (PyPI `anki`) and prints
what Anki made of it as JSON: the test that a package Lingo writes is one Anki imports.

usage: read_apkg.py PACKAGE
"""

import json
import os
import sys
import tempfile

from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)


def main(package: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(os.path.join(scratch, "collection.anki2"))
        try:
            log = col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=package,
                    options=ImportAnkiPackageOptions(with_scheduling=True),
                )
            )
            notes = []
            for nid in col.find_notes(""):
                note = col.get_note(nid)
                notes.append(
                    {
                        "guid": note.guid,
                        "notetype": note.note_type()["name"],
                        "fields": dict(note.items()),
                        "tags": sorted(note.tags),
                    }
                )
            cards = []
            for cid in col.find_cards(""):
                card = col.get_card(cid)
                memory = card.memory_state
                cards.append(
                    {
                        "ord": card.ord,
                        "type": card.type,
                        "queue": card.queue,
                        "ivl": card.ivl,
                        "reps": card.reps,
                        "lapses": card.lapses,
                        "deck": col.decks.name(card.did),
                        "stability": memory.stability if memory else None,
                        "difficulty": memory.difficulty if memory else None,
                        "question": card.question(),
                    }
                )
            revlog = col.db.all("select cid, ease, type from revlog order by id")
            print(
                json.dumps(
                    {
                        "imported_notes": len(log.log.new),
                        "notes": notes,
                        "cards": cards,
                        "revlog": [
                            {"ease": ease, "type": kind} for _, ease, kind in revlog
                        ],
                        "decks": sorted(d.name for d in col.decks.all_names_and_ids()),
                    },
                    ensure_ascii=False,
                )
            )
        finally:
            col.close()


if __name__ == "__main__":
    main(sys.argv[1])
