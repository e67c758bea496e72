-- Words a learner adds by lemma are private until a dictionary source (an import, a provider
-- answer) or an administrator confirms them: public search, lookups, the lemmatiser, text
-- analysis and quiz distractors read only public rows; the learner's own cards keep working
-- because they reference the row by id. `added_by` is the learner who first added a private
-- word (kept for review by administrators; cleared when that account goes).
ALTER TABLE words
    ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
        CHECK (visibility IN ('public', 'private')),
    ADD COLUMN added_by   UUID REFERENCES users (id) ON DELETE SET NULL;

-- Rows no dictionary source ever recorded were added by learners (or by administrators to a
-- system deck, which counts as a confirmation).
UPDATE words SET visibility = 'private'
WHERE sources = '{}'
  AND NOT EXISTS (SELECT 1 FROM system_deck_words s WHERE s.word_id = words.id);

-- Few rows are private; confirmations find them by key.
CREATE INDEX words_private_key_idx ON words (language, lemma_key) WHERE visibility = 'private';
