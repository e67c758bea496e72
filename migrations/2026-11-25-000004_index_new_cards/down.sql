DROP INDEX cards_new_idx;
