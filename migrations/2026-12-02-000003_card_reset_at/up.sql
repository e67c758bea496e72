-- When the learner last reset the card. Its schedule is the fold of the reviews since then
-- (docs/reviews.md); older reviews stay in the log as history, and undo refuses them.
ALTER TABLE cards ADD COLUMN reset_at TIMESTAMPTZ;
