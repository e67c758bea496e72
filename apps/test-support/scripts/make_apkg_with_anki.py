"""Makes an Anki package (.apkg) with the `anki` package (PyPI) itself: a real collection,
notes of the stock "Basic (and reversed card)" note type, cards answered through Anki's own
scheduler, exported the way Anki 2.1 does ("Support older Anki versions": the zip holds
`collection.anki21`, schema 11, and a legacy stub `collection.anki2`).

Spec on standard input, package path as the only argument:

    {"notes": [{"front": "house", "back": "خانه", "tags": ["home"]}, ...],
     "answers": [3, 3]}   # buttons pressed on every card of the first note, in turn
"""

import json
import os
import sys
import tempfile

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.import_export_pb2 import ExportLimit


def main():
    spec = json.load(sys.stdin)
    out = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        col = Collection(os.path.join(work, "collection.anki2"))
        notetype = col.models.by_name("Basic (and reversed card)")
        deck_id = col.decks.id("Lingo test deck")
        first = None
        for item in spec["notes"]:
            note = col.new_note(notetype)
            note["Front"] = item["front"]
            note["Back"] = item["back"]
            note.tags = item.get("tags", [])
            col.add_note(note, deck_id)
            first = first or note
        col.decks.select(deck_id)
        for card in first.cards():
            for ease in spec.get("answers", []):
                card = col.get_card(card.id)
                card.start_timer()
                states = col._backend.get_scheduling_states(card.id)
                changes = col.sched.build_answer(card=card, states=states, rating=ease - 1)
                col.sched.answer_card(changes)
        col.export_anki_package(
            out_path=out,
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=False, legacy=True
            ),
            limit=ExportLimit(),
        )
        col.close()


if __name__ == "__main__":
    main()
