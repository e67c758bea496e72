-- Account exports written by the `account.export` job (docs/export.md): the gzip JSON file,
-- downloadable by its owner until `expires_at`, deleted with the account. The id is the job's.
CREATE TABLE account_exports (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    bytes      BIGINT NOT NULL CHECK (bytes = octet_length(content)),
    content    BYTEA NOT NULL
);
-- Already compressed: stored out of line without a second compression.
ALTER TABLE account_exports ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX account_exports_user_idx ON account_exports (user_id);
-- The daily purge finds expired files by age.
CREATE INDEX account_exports_expiry_idx ON account_exports (expires_at);
