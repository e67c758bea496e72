-- Multi-device sync (docs/sync.md). Every learner-owned row records the transaction and the
-- order of its last change; `GET /sync` pages by (change_txid, change_seq) and serves only rows
-- of transactions older than every one still running (pg_snapshot_xmin), so a page never skips
-- a change that commits later with a smaller position. Set by triggers: no statement that writes
-- these tables (the review path included) has to remember them.
CREATE SEQUENCE sync_change_seq;

CREATE FUNCTION sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_txid := pg_current_xact_id();
    NEW.change_seq := nextval('sync_change_seq');
    -- Decks and accounts keep the `updated_at` the application writes; cards had none.
    IF TG_TABLE_NAME = 'cards' THEN
        NEW.updated_at := now();
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE cards
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN change_txid xid8 NOT NULL DEFAULT '0',
    ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE decks
    ADD COLUMN version INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN change_txid xid8 NOT NULL DEFAULT '0',
    ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users
    ADD COLUMN version INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN change_txid xid8 NOT NULL DEFAULT '0',
    ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER cards_sync_stamp BEFORE INSERT OR UPDATE ON cards
    FOR EACH ROW EXECUTE FUNCTION sync_stamp();
CREATE TRIGGER decks_sync_stamp BEFORE INSERT OR UPDATE ON decks
    FOR EACH ROW EXECUTE FUNCTION sync_stamp();
-- Only what a device shows: the profile and the display name (not sign-in counters).
CREATE TRIGGER users_sync_stamp BEFORE INSERT OR UPDATE OF profile, display_name ON users
    FOR EACH ROW EXECUTE FUNCTION sync_stamp();

CREATE INDEX cards_sync_idx ON cards (user_id, change_txid, change_seq);
CREATE INDEX decks_sync_idx ON decks (owner_id, change_txid, change_seq);

-- Deletions leave a tombstone for the devices that still hold the row. Kept 400 days (longer
-- than the 365-day window of offline reviews); an older cursor must sync from the start.
CREATE TABLE sync_tombstones (
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    entity      TEXT NOT NULL CHECK (entity IN ('deck', 'card')),
    entity_id   UUID NOT NULL,
    deleted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    change_txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_seq  BIGINT NOT NULL DEFAULT nextval('sync_change_seq'),
    PRIMARY KEY (user_id, entity, entity_id)
);
CREATE INDEX sync_tombstones_change_idx ON sync_tombstones (user_id, change_txid, change_seq);
CREATE INDEX sync_tombstones_age_idx ON sync_tombstones (deleted_at);

-- A deleted account takes its tombstones with it: rows deleted by that cascade leave none.
CREATE FUNCTION sync_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner UUID;
BEGIN
    -- Separate branches: a record's missing field fails even in an untaken CASE arm.
    IF TG_TABLE_NAME = 'decks' THEN
        owner := OLD.owner_id;
    ELSE
        owner := OLD.user_id;
    END IF;
    IF EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
        INSERT INTO sync_tombstones (user_id, entity, entity_id)
        VALUES (owner, TG_ARGV[0], OLD.id)
        ON CONFLICT (user_id, entity, entity_id) DO NOTHING;
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER cards_sync_tombstone AFTER DELETE ON cards
    FOR EACH ROW EXECUTE FUNCTION sync_tombstone('card');
CREATE TRIGGER decks_sync_tombstone AFTER DELETE ON decks
    FOR EACH ROW EXECUTE FUNCTION sync_tombstone('deck');
