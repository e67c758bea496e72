DROP TABLE learner_days;
