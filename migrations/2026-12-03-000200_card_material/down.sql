DROP INDEX IF EXISTS cards_tags_idx;
ALTER TABLE cards
    DROP COLUMN source_sentence,
    DROP COLUMN tags,
    DROP COLUMN translation,
    DROP COLUMN note;
