-- The outbox becomes the job ledger: every job has a row here from the moment it is accepted
-- until it is finished and purged, whether it was staged in a transaction (undispatched) or
-- enqueued directly. Redis stays the dispatch path; the dispatcher compares unfinished rows
-- with it and dispatches again what it lost (docs/job-queue.md).
ALTER TABLE outbox RENAME TO jobs;
ALTER TABLE jobs RENAME COLUMN relayed_at TO dispatched_at;
ALTER TABLE jobs RENAME COLUMN relay_attempts TO dispatch_attempts;
ALTER TABLE jobs
    ADD COLUMN status          TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
    ADD COLUMN attempts        INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN next_attempt_at TIMESTAMPTZ,
    ADD COLUMN finished_at     TIMESTAMPTZ,
    ADD COLUMN result          JSONB,
    -- When the dispatcher next looks at an unfinished row (hand-over backoff, broker check).
    ADD COLUMN check_after     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Since when the broker has had no record of this unfinished, dispatched job.
    ADD COLUMN lost_at         TIMESTAMPTZ;
-- Rows relayed before the ledger existed are checked against Redis on the first pass: finished
-- ones are copied, lost ones dispatched again.
UPDATE jobs SET updated_at = coalesce(dispatched_at, created_at);
DROP INDEX outbox_unrelayed_idx;
DROP INDEX outbox_relayed_at_idx;
ALTER INDEX outbox_pkey RENAME TO jobs_pkey;
ALTER INDEX outbox_job_id_key RENAME TO jobs_job_id_key;
ALTER SEQUENCE outbox_id_seq RENAME TO jobs_id_seq;
-- The dispatcher scans unfinished rows that are due.
CREATE INDEX jobs_due_idx ON jobs (check_after)
    WHERE status IN ('queued', 'running');
-- The purge deletes finished rows by age; admins list failed and dead ones.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
