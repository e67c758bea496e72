-- The learner's activity per local day, for streaks, the daily goal and the heatmap. `day` is the
-- local date of the review's `reviewed_at` in the learner's time zone and rollover hour at the
-- moment the review was written: a later DST change or time-zone change never moves a day.
-- Written by the review transaction (one upsert), lowered by undo.
CREATE TABLE learner_days (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     DATE NOT NULL,
    reviews INTEGER NOT NULL DEFAULT 0 CHECK (reviews >= 0),
    passed  INTEGER NOT NULL DEFAULT 0 CHECK (passed >= 0),
    time_ms BIGINT NOT NULL DEFAULT 0 CHECK (time_ms >= 0),
    PRIMARY KEY (user_id, day)
);

-- Existing reviews, dated with each learner's current zone (the best that is known).
INSERT INTO learner_days (user_id, day, reviews, passed, time_ms)
SELECT r.user_id,
       ((r.reviewed_at AT TIME ZONE coalesce(u.profile->>'timezone', 'UTC'))
         - make_interval(hours => coalesce((u.profile->>'day_rollover_hour')::int, 4)))::date,
       count(*), count(*) FILTER (WHERE r.rating > 1), coalesce(sum(r.duration_ms), 0)
FROM review_logs r JOIN users u ON u.id = r.user_id
WHERE NOT r.undone
GROUP BY 1, 2;
