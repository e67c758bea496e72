-- The dictionary's PostgreSQL side: frequency, CEFR band and sources on the existing `words`
-- rows (cards reference them), search by prefix and by trigram similarity, frequency lists,
-- lemma tables and import checkpoints. Raw records and entries live in MongoDB.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- `lemma_key` is the application's fold key (`normalise::fold_key`: NFC, Arabic-script letters
-- unified, lower case); every lookup and search goes through it.
ALTER TABLE words
    ADD COLUMN lemma_key  TEXT,
    ADD COLUMN zipf       DOUBLE PRECISION CHECK (zipf BETWEEN 0 AND 9),
    ADD COLUMN cefr       TEXT CHECK (cefr IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
    ADD COLUMN sources    TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- Rows added by learners so far: lower() is the fold key for them but for Unicode normalisation
-- and Arabic-script letters; the next dictionary upsert of the word rewrites the key.
UPDATE words SET lemma_key = lower(lemma);
ALTER TABLE words ALTER COLUMN lemma_key SET NOT NULL;

-- Lookups by key.
CREATE INDEX words_lemma_key_idx ON words (language, lemma_key);
-- Prefix search (`lemma_key LIKE 'hou%'`) whatever the database's collation.
CREATE INDEX words_lemma_key_prefix_idx ON words (language, lemma_key text_pattern_ops);
-- Typo-tolerant search (`lemma_key % 'recieve'`).
CREATE INDEX words_lemma_key_trgm_idx ON words USING gin (lemma_key gin_trgm_ops);

-- Frequency lists (Zipf scale), by fold key; one list per language.
CREATE TABLE word_frequencies (
    language TEXT NOT NULL,
    word_key TEXT NOT NULL,
    zipf     DOUBLE PRECISION NOT NULL CHECK (zipf BETWEEN 0 AND 9),
    PRIMARY KEY (language, word_key)
);

-- Inflected form → lemma, for languages without rule-based lemmatisation (Persian `کتاب‌ها` →
-- `کتاب`). A form may have several lemmas.
CREATE TABLE lemma_forms (
    language TEXT NOT NULL,
    form_key TEXT NOT NULL,
    lemma    TEXT NOT NULL,
    PRIMARY KEY (language, form_key, lemma)
);

-- How far each import job got (`ImportCheckpoint` as JSON), so a rerun resumes there.
CREATE TABLE dictionary_imports (
    job_id     UUID PRIMARY KEY,
    checkpoint JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
