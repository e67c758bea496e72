-- The study queue takes the oldest never-reviewed cards of a learner; without this index it
-- sorts all their cards.
CREATE INDEX cards_new_idx ON cards (user_id, created_at) WHERE last_review IS NULL AND NOT suspended;
