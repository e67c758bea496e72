-- Due learning and relearning cards of a learner, by due date (the study queue and the session's
-- counts): with only cards_user_due_idx, finding them meant walking past every due review card.
CREATE INDEX cards_learning_due_idx ON cards (user_id, due) WHERE state <> 'review' AND NOT suspended;
