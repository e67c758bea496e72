-- Email ownership: when Lingo proved that an account holds its address (a verification link, a
-- password reset, Google vouching for it). NULL: unproven; such an address is never linked to a
-- Google identity automatically and does not sign in with a password. Existing accounts start
-- unproven: a password reset (which proves the address) lets their owners back in.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ;
