DROP INDEX words_pos_zipf_idx;
DROP TABLE quiz_questions;
DROP TABLE quizzes;
