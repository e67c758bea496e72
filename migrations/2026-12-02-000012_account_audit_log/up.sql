-- What administrators did to accounts: who, what, to whom, when. No foreign keys: the record
-- outlives both accounts.
CREATE TABLE account_audit_log (
    id         BIGSERIAL PRIMARY KEY,
    -- The administrator's account (api), or NULL for an operator at the console (`lingo-admin`).
    actor_id   UUID,
    -- `api` or `cli:<operator>`.
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('disable', 'enable', 'grant_admin', 'revoke_admin')),
    target_id  UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_audit_log_target_idx ON account_audit_log (target_id, created_at);
