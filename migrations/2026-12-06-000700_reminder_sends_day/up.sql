-- `notifications.purge` deletes reminder records of learner-days past their retention, the
-- oldest first (docs/reminders.md): by day, across learners.
CREATE INDEX reminder_sends_day_idx ON reminder_sends (day);
