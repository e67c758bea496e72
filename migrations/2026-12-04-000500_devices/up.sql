-- Devices registered for push (docs/reminders.md). A push token is one app on one phone, so it
-- is unique over all learners: registered by another account it moves there. Removed with the
-- account (cascade), at the logout of the device, on DELETE /me/devices/{id}, and when the
-- provider says the token is no longer valid.
CREATE TABLE devices (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform    TEXT NOT NULL CHECK (platform IN ('android', 'ios')),
    push_token  TEXT NOT NULL CHECK (length(push_token) BETWEEN 1 AND 1024),
    app_version TEXT NOT NULL,
    locale      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (platform, push_token)
);
CREATE INDEX devices_user_idx ON devices (user_id, updated_at DESC);
