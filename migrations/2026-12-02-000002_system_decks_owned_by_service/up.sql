-- System decks belong to the service, not to the admin who published them: deleting any
-- person's account must leave them, their words and their subscriptions in place. A system deck
-- has no owner; `published_by` keeps who published it, for audit, and forgets them (SET NULL)
-- when their account is deleted. Personal decks (subscriptions included) keep their owner.
ALTER TABLE decks
    ADD COLUMN published_by UUID REFERENCES users (id) ON DELETE SET NULL,
    ALTER COLUMN owner_id DROP NOT NULL;

UPDATE decks SET published_by = owner_id, owner_id = NULL WHERE kind = 'system';

ALTER TABLE decks
    ADD CONSTRAINT decks_owner_by_kind CHECK ((owner_id IS NULL) = (kind = 'system')),
    ADD CONSTRAINT decks_publisher_only_system CHECK (published_by IS NULL OR kind = 'system');
