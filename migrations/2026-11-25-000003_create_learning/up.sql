-- Structured word metadata (the dictionary's PostgreSQL side; raw entries live in MongoDB).
-- Cards reference words; the dictionary issue fills in frequency, CEFR, sources and search.
CREATE TABLE words (
    id             UUID PRIMARY KEY,
    language       TEXT NOT NULL,
    lemma          TEXT NOT NULL,
    part_of_speech TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (language, lemma, part_of_speech)
);

CREATE TABLE decks (
    id          UUID PRIMARY KEY,
    owner_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Card types created for each word added: recognition, recall, typing.
    card_types  TEXT[] NOT NULL DEFAULT ARRAY['recognition', 'recall'],
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX decks_owner_idx ON decks (owner_id, created_at);

-- One row per (deck, word, card type), scheduled independently. `version` increases with every
-- change, for optimistic checks by clients; reviews take the row lock.
CREATE TABLE cards (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    deck_id      UUID NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
    word_id      UUID NOT NULL REFERENCES words (id),
    card_type    TEXT NOT NULL CHECK (card_type IN ('recognition', 'recall', 'typing')),
    state        TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning')),
    step         INTEGER,
    stability    DOUBLE PRECISION,
    difficulty   DOUBLE PRECISION,
    due          TIMESTAMPTZ NOT NULL,
    last_review  TIMESTAMPTZ,
    reps         INTEGER NOT NULL DEFAULT 0,
    lapses       INTEGER NOT NULL DEFAULT 0,
    suspended    BOOLEAN NOT NULL DEFAULT false,
    buried_until TIMESTAMPTZ,
    leech        BOOLEAN NOT NULL DEFAULT false,
    version      INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (deck_id, word_id, card_type)
);
CREATE INDEX cards_user_due_idx ON cards (user_id, due) WHERE NOT suspended;
CREATE INDEX cards_deck_idx ON cards (deck_id, created_at, id);
CREATE INDEX cards_word_idx ON cards (user_id, word_id);

-- FSRS parameter versions per learner; version 0 (no row) means the defaults.
CREATE TABLE fsrs_parameters (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL CHECK (version > 0),
    parameters DOUBLE PRECISION[] NOT NULL CHECK (cardinality(parameters) = 21),
    log_loss   DOUBLE PRECISION,
    reviews    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, version)
);

-- Every review, with the card before and after it (for undo) and the parameter version used.
-- `client_review_id` makes submissions idempotent per learner.
CREATE TABLE review_logs (
    id                 BIGSERIAL PRIMARY KEY,
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    card_id            UUID NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    client_review_id   TEXT NOT NULL,
    rating             SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 4),
    reviewed_at        TIMESTAMPTZ NOT NULL,
    duration_ms        INTEGER,
    parameters_version INTEGER NOT NULL DEFAULT 0,
    before             JSONB NOT NULL,
    after              JSONB NOT NULL,
    undone             BOOLEAN NOT NULL DEFAULT false,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_id, client_review_id)
);
CREATE INDEX review_logs_card_idx ON review_logs (card_id, reviewed_at);
CREATE INDEX review_logs_user_time_idx ON review_logs (user_id, reviewed_at);
