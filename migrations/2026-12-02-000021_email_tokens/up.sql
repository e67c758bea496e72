-- The single-use tokens of email links (verify an address, move to a new one, reset the
-- password), bound to an account, an address and a purpose. Only SHA-256 of the token is kept.
CREATE TABLE email_tokens (
    token_hash BYTEA PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'change_email', 'reset_password')),
    email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX email_tokens_user_purpose ON email_tokens (user_id, purpose) WHERE used_at IS NULL;
