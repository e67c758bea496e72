-- Revocation of access tokens within seconds: every access token carries the generation of its
-- account; bumping it (logout everywhere, disable, demote) refuses every token issued before.
-- A deleted account has no row, so its tokens are refused too.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;
