DROP INDEX jobs_finished_idx;
DROP INDEX jobs_due_idx;
ALTER SEQUENCE jobs_id_seq RENAME TO outbox_id_seq;
ALTER INDEX jobs_job_id_key RENAME TO outbox_job_id_key;
ALTER INDEX jobs_pkey RENAME TO outbox_pkey;
ALTER TABLE jobs
    DROP COLUMN lost_at,
    DROP COLUMN check_after,
    DROP COLUMN result,
    DROP COLUMN finished_at,
    DROP COLUMN next_attempt_at,
    DROP COLUMN updated_at,
    DROP COLUMN attempts,
    DROP COLUMN status;
ALTER TABLE jobs RENAME COLUMN dispatch_attempts TO relay_attempts;
ALTER TABLE jobs RENAME COLUMN dispatched_at TO relayed_at;
ALTER TABLE jobs RENAME TO outbox;
CREATE INDEX outbox_unrelayed_idx ON outbox (id) WHERE relayed_at IS NULL;
CREATE INDEX outbox_relayed_at_idx ON outbox (relayed_at) WHERE relayed_at IS NOT NULL;
