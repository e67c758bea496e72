ALTER TABLE cards DROP COLUMN reset_at;
