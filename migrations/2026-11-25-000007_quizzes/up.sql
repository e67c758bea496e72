-- Quizzes over a learner's cards. `prompt` is what the client sees; `expected` never leaves the
-- server before the question is answered. A question is answered once (`answered_at`).
CREATE TABLE quizzes (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    deck_id UUID NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX quizzes_user_idx ON quizzes (user_id, created_at);

CREATE TABLE quiz_questions (
    quiz_id UUID NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    position INT4 NOT NULL,
    kind TEXT NOT NULL,
    card_ids UUID[] NOT NULL,
    prompt JSONB NOT NULL,
    expected JSONB NOT NULL,
    answered_at TIMESTAMPTZ NULL,
    result JSONB NULL,
    PRIMARY KEY (quiz_id, position)
);

-- Distractors: words of one part of speech in a frequency band.
CREATE INDEX words_pos_zipf_idx ON words (language, part_of_speech, zipf);
