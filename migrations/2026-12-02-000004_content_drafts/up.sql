-- Generated content paid for and not yet in MongoDB: a retry stores it instead of paying the
-- generator again (crates/content/src/generate_content.rs).
CREATE TABLE content_drafts (
    content_key TEXT PRIMARY KEY,
    version     JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
