-- The HTTP bench's learners, seeded in SQL (a few seconds, where HTTP would take minutes):
--   learner A (:'reviewer'): :cards cards, :today reviews "today" (the study-queue worst case);
--   learners B1..B:session_learners: :session_cards cards each (the study-session figure).
-- Variables: reviewer, profile, cards, today, session_learners, session_cards.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO users (id, email, display_name, profile, created_at, updated_at)
VALUES (:'reviewer', 'bench-reviewer@example.com', 'Bench reviewer', :'profile', now(), now());
INSERT INTO users (id, email, display_name, profile, created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'bench-session-' || g || '@example.com',
       'Bench session ' || g, :'profile', now(), now()
  FROM generate_series(1, :session_learners) g;
INSERT INTO words (id, language, lemma, lemma_key)
SELECT gen_random_uuid(), 'en', 'benchword' || g, 'benchword' || g
  FROM generate_series(1, greatest(:cards, :session_cards)) g;
CREATE TABLE bench_words AS SELECT row_number() OVER (ORDER BY lemma) AS n, id FROM words WHERE lemma LIKE 'benchword%';
INSERT INTO decks (id, owner_id, name, card_types, created_at, updated_at)
SELECT gen_random_uuid(), u.id, 'Bench', ARRAY['recognition'], now(), now()
  FROM users u WHERE u.email LIKE 'bench-%';
-- Reviewed ten days ago and due since yesterday: every review the bench sends is in time order.
INSERT INTO cards (id, user_id, deck_id, word_id, card_type, state, stability, difficulty, due,
                   last_review, reps, created_at)
SELECT gen_random_uuid(), d.owner_id, d.id, w.id, 'recognition', 'review', 12.0, 5.0,
       now() - interval '1 day', now() - interval '10 days', 5, now() - interval '60 days'
  FROM decks d JOIN users u ON u.id = d.owner_id
  JOIN bench_words w ON w.n <= CASE WHEN u.id = :'reviewer' THEN :cards ELSE :session_cards END
 WHERE u.email LIKE 'bench-%';
-- Today's reviews of learner A, spread over the last minute (the day started hours ago).
INSERT INTO review_logs (user_id, card_id, client_review_id, rating, reviewed_at, duration_ms, before, after)
SELECT c.user_id, c.id, 'seed-' || g, 3, now() - (g % 60000) * interval '1 millisecond', 3000,
       '{"last_review": "2026-01-01T00:00:00Z"}', '{}'
  FROM generate_series(1, :today) g
  JOIN (SELECT id, user_id, row_number() OVER (ORDER BY id) AS n FROM cards WHERE user_id = :'reviewer') c
    ON c.n = 1 + g % :cards;
CREATE TABLE bench_card_ids AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM cards WHERE user_id = :'reviewer';
ALTER TABLE bench_card_ids ADD PRIMARY KEY (n);
COMMIT;
-- The seed updated today's counter rows 100,000 times in one transaction; autovacuum would
-- clear those row versions in a live database, so the bench starts from that state.
VACUUM ANALYZE;
