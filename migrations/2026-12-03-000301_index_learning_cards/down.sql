DROP INDEX cards_learning_due_idx;
