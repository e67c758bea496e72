CREATE TABLE learner_days_merged AS
SELECT user_id, day, sum(reviews)::int AS reviews, sum(passed)::int AS passed,
       sum(time_ms)::bigint AS time_ms
  FROM learner_days GROUP BY user_id, day;
DELETE FROM learner_days;
ALTER TABLE learner_days DROP CONSTRAINT learner_days_pkey;
ALTER TABLE learner_days DROP COLUMN shard;
ALTER TABLE learner_days ADD PRIMARY KEY (user_id, day);
INSERT INTO learner_days (user_id, day, reviews, passed, time_ms)
SELECT user_id, day, reviews, passed, time_ms FROM learner_days_merged;
DROP TABLE learner_days_merged;
