-- Jobs that must follow a change in PostgreSQL are written here in the same transaction as the
-- change, then relayed to the Redis job queue. A crash or a Redis outage between the two loses
-- nothing: unrelayed rows are picked up again, and the job id makes the enqueue idempotent.
CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    job_id        UUID NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    payload       JSONB NOT NULL,
    owner_id      UUID,
    max_attempts  INTEGER NOT NULL CHECK (max_attempts > 0),
    trace         JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    relayed_at    TIMESTAMPTZ,
    relay_attempts INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
);

-- The relay only ever scans rows not yet relayed.
CREATE INDEX outbox_unrelayed_idx ON outbox (id) WHERE relayed_at IS NULL;
-- The purge job deletes relayed rows by age.
CREATE INDEX outbox_relayed_at_idx ON outbox (relayed_at) WHERE relayed_at IS NOT NULL;
