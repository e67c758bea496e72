DROP TABLE refresh_tokens;
DROP TABLE user_identities;
DROP TABLE users;
