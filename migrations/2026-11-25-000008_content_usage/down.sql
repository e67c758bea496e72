DROP TABLE content_usage;
