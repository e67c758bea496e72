DROP TRIGGER review_log_counts_apply ON review_logs;
DROP FUNCTION review_log_counts_apply();
DROP FUNCTION review_log_shard(UUID);
DROP FUNCTION review_log_bucket(TIMESTAMPTZ);
DROP TABLE review_log_counts;
