-- The learner's own material on a card (docs/learning.md, "The learner's material"): a note, a
-- custom translation, tags and the sentence the word was picked from. Limits are enforced by the
-- domain types; the CHECKs are the last line against a bug writing past them.
ALTER TABLE cards
    ADD COLUMN note TEXT CHECK (char_length(note) <= 2000),
    ADD COLUMN translation TEXT CHECK (char_length(translation) <= 200),
    ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    ADD COLUMN source_sentence TEXT CHECK (char_length(source_sentence) <= 500);
-- Tag filter of GET /cards.
CREATE INDEX cards_tags_idx ON cards USING GIN (tags);
