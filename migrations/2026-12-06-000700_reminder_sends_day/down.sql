DROP INDEX reminder_sends_day_idx;
