-- Standard decks an admin publishes (a word list, a book's vocabulary). Learners subscribe: a
-- subscription is a deck of their own, linked to the system deck, whose cards are theirs; words
-- the admin adds later reach every linked deck (through the `decks.propagate` job).
ALTER TABLE decks
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'personal' CHECK (kind IN ('personal', 'system')),
    ADD COLUMN source_deck_id UUID REFERENCES decks (id) ON DELETE SET NULL;

CREATE UNIQUE INDEX decks_subscription_idx ON decks (owner_id, source_deck_id)
    WHERE source_deck_id IS NOT NULL;
CREATE INDEX decks_source_idx ON decks (source_deck_id) WHERE source_deck_id IS NOT NULL;

CREATE TABLE system_deck_words (
    deck_id  UUID NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
    word_id  UUID NOT NULL REFERENCES words (id),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (deck_id, word_id)
);
