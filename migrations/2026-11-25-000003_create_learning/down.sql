DROP TABLE review_logs;
DROP TABLE fsrs_parameters;
DROP TABLE cards;
DROP TABLE decks;
DROP TABLE words;
