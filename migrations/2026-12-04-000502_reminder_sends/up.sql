-- One row per learner and learner-day a reminder was sent for: written before any push, in the
-- transaction of its in-app notification, so a rerun of `reminders.send` or a second scheduler
-- never reminds twice.
CREATE TABLE reminder_sends (
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day             DATE NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- The job's pre-selection reads only learners with reminders on.
CREATE INDEX users_reminder_on_idx ON users (id)
    WHERE (profile -> 'reminder' ->> 'enabled') = 'true';
