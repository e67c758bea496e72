-- Generator usage per day, generator and model: what learner content costs. One row is updated
-- per generator call; prices are applied when reading (they change, tokens do not).
CREATE TABLE content_usage (
    day               DATE NOT NULL,
    generator         TEXT NOT NULL,
    model             TEXT NOT NULL,
    requests          BIGINT NOT NULL DEFAULT 0 CHECK (requests >= 0),
    prompt_tokens     BIGINT NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
    completion_tokens BIGINT NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
    PRIMARY KEY (day, generator, model)
);
