DROP TABLE system_deck_words;
DROP INDEX decks_source_idx;
DROP INDEX decks_subscription_idx;
ALTER TABLE decks DROP COLUMN source_deck_id, DROP COLUMN kind;
