-- Estimated money spent on model generations per UTC day, in millionths of a US dollar: the
-- global daily budget every api and worker replica counts against
-- (crates/content/src/generation_budget.rs). A reservation is one atomic upsert.
CREATE TABLE content_spend (
    day          DATE PRIMARY KEY,
    spent_micros BIGINT NOT NULL DEFAULT 0
);
