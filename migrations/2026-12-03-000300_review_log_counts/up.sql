-- Today's review counts without scanning today's review logs (docs/performance.md): a trigger
-- keeps, per learner, per 15-minute bucket of `reviewed_at` (every time zone's day starts on a
-- quarter hour) and per shard of the card id (so concurrent reviews of one learner rarely wait
-- on the same counter row), how many reviews are not undone and how many of those met a new
-- card. The study queue sums the buckets of the learner's day.
CREATE TABLE review_log_counts (
    user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bucket    TIMESTAMPTZ NOT NULL,
    shard     SMALLINT NOT NULL,
    total     INTEGER NOT NULL DEFAULT 0,
    new_cards INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, bucket, shard)
);

CREATE FUNCTION review_log_bucket(at TIMESTAMPTZ) RETURNS TIMESTAMPTZ
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_bin('15 minutes', at, TIMESTAMPTZ '2000-01-01 00:00:00+00');

CREATE FUNCTION review_log_shard(card UUID) RETURNS SMALLINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (get_byte(uuid_send(card), 15) % 8)::smallint;

CREATE FUNCTION review_log_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.undone = NEW.undone AND OLD.reviewed_at = NEW.reviewed_at
       AND OLD.user_id = NEW.user_id AND OLD.card_id = NEW.card_id
       AND (OLD.before -> 'last_review') IS NOT DISTINCT FROM (NEW.before -> 'last_review') THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.undone THEN
        UPDATE review_log_counts
           SET total = total - 1,
               new_cards = new_cards - COALESCE(OLD.before -> 'last_review' = 'null'::jsonb, false)::int
         WHERE user_id = OLD.user_id AND bucket = review_log_bucket(OLD.reviewed_at)
           AND shard = review_log_shard(OLD.card_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.undone THEN
        INSERT INTO review_log_counts AS c (user_id, bucket, shard, total, new_cards)
        VALUES (NEW.user_id, review_log_bucket(NEW.reviewed_at), review_log_shard(NEW.card_id), 1,
                COALESCE(NEW.before -> 'last_review' = 'null'::jsonb, false)::int)
        ON CONFLICT (user_id, bucket, shard)
        DO UPDATE SET total = c.total + 1, new_cards = c.new_cards + EXCLUDED.new_cards;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER review_log_counts_apply
    AFTER INSERT OR UPDATE OR DELETE ON review_logs
    FOR EACH ROW EXECUTE FUNCTION review_log_counts_apply();

INSERT INTO review_log_counts (user_id, bucket, shard, total, new_cards)
SELECT user_id, review_log_bucket(reviewed_at), review_log_shard(card_id), count(*),
       count(*) FILTER (WHERE before -> 'last_review' = 'null'::jsonb)
  FROM review_logs WHERE NOT undone
 GROUP BY 1, 2, 3;
