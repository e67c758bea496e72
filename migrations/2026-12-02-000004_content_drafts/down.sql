DROP TABLE content_drafts;
