DROP TABLE dictionary_imports;
DROP TABLE lemma_forms;
DROP TABLE word_frequencies;
DROP INDEX words_lemma_key_trgm_idx;
DROP INDEX words_lemma_key_prefix_idx;
DROP INDEX words_lemma_key_idx;
ALTER TABLE words
    DROP COLUMN updated_at,
    DROP COLUMN sources,
    DROP COLUMN cefr,
    DROP COLUMN zipf,
    DROP COLUMN lemma_key;
-- Fails (rather than cascading) if anything else has come to depend on it since.
DROP EXTENSION IF EXISTS pg_trgm;
