-- The activity day of a learner in 8 shards (docs/performance.md): every review of a learner
-- upserted the same (learner, day) row and held its lock until commit, so one learner's
-- concurrent reviews (several devices, an offline batch) committed one at a time. A review
-- now counts in the shard of its card (`review_log_shard`, the shard its review_log_counts
-- row is in too, so a review locks no more counter rows than before); readers sum the shards.
ALTER TABLE learner_days ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE learner_days DROP CONSTRAINT learner_days_pkey;
ALTER TABLE learner_days ADD PRIMARY KEY (user_id, day, shard);
