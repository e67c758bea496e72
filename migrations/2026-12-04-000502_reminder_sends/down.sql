DROP INDEX users_reminder_on_idx;
DROP TABLE reminder_sends;
