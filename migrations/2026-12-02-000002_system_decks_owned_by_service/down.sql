-- Back to decks owned by their publisher. A system deck whose publisher's account is gone has no
-- one to belong to and is dropped (its subscriptions keep their decks and cards, unlinked).
ALTER TABLE decks
    DROP CONSTRAINT decks_publisher_only_system,
    DROP CONSTRAINT decks_owner_by_kind;

DELETE FROM decks WHERE kind = 'system' AND published_by IS NULL;
UPDATE decks SET owner_id = published_by WHERE kind = 'system';

ALTER TABLE decks
    ALTER COLUMN owner_id SET NOT NULL,
    DROP COLUMN published_by;
