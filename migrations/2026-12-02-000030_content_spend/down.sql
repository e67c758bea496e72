DROP TABLE content_spend;
