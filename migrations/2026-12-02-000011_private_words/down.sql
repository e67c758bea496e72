DROP INDEX words_private_key_idx;
ALTER TABLE words DROP COLUMN added_by, DROP COLUMN visibility;
