//! The learner's own material on a card: a note, a custom translation, tags and the sentence
//! the word came from. Each value parses on construction (limits in docs/limits.md), so the
//! store and the use cases never re-check.

use unicode_normalization::UnicodeNormalization;

/// Most characters in a note.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Most characters in a custom translation.
pub const MAX_TRANSLATION_CHARS: usize = 200;
/// Most characters in a source sentence.
pub const MAX_SENTENCE_CHARS: usize = 500;
/// Most characters in one tag.
pub const MAX_TAG_CHARS: usize = 32;
/// Most tags on one card.
pub const MAX_TAGS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MaterialError {
    #[error("must not be empty")]
    Empty,
    #[error("at most {0} characters")]
    TooLong(usize),
    #[error("control characters are not allowed")]
    ControlCharacter,
    #[error("a tag holds letters, digits, '-', '_' or ':' only")]
    TagCharset,
    #[error("at most {MAX_TAGS} tags")]
    TooManyTags,
}

/// NFC, no control characters except newlines and tabs when `multiline`, trimmed, non-empty,
/// at most `max` characters.
fn clean_text(raw: &str, max: usize, multiline: bool) -> Result<String, MaterialError> {
    let allowed = |c: char| multiline && (c == '\n' || c == '\t');
    if raw.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(MaterialError::ControlCharacter);
    }
    let text: String = raw.nfc().collect::<String>().trim().to_owned();
    if text.is_empty() {
        return Err(MaterialError::Empty);
    }
    if text.chars().count() > max {
        return Err(MaterialError::TooLong(max));
    }
    Ok(text)
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, MaterialError> {
                clean_text(raw, $max, $multiline).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// The learner's note on a card (several lines allowed).
    CardNote,
    MAX_NOTE_CHARS,
    true
);
text_type!(
    /// The learner's own translation, shown before the dictionary's.
    CustomTranslation,
    MAX_TRANSLATION_CHARS,
    false
);
text_type!(
    /// The sentence of a text the word was picked from.
    SourceSentence,
    MAX_SENTENCE_CHARS,
    false
);

/// A tag: lower-cased, 1 to 32 letters, digits, `-`, `_` or `:` (`:` for hierarchies such as
/// `book:dune`, the way Anki's `::` tags import).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    pub fn parse(raw: &str) -> Result<Self, MaterialError> {
        let tag: String = raw.trim().nfc().flat_map(char::to_lowercase).collect();
        if tag.is_empty() {
            return Err(MaterialError::Empty);
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(MaterialError::TooLong(MAX_TAG_CHARS));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':'))
        {
            return Err(MaterialError::TagCharset);
        }
        Ok(Self(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A card's tags: distinct, sorted, at most `MAX_TAGS`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(Vec<Tag>);

impl Tags {
    pub fn parse<S: AsRef<str>>(raw: &[S]) -> Result<Self, MaterialError> {
        let mut tags = raw
            .iter()
            .map(|t| Tag::parse(t.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        tags.sort();
        tags.dedup();
        if tags.len() > MAX_TAGS {
            return Err(MaterialError::TooManyTags);
        }
        Ok(Self(tags))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_strings(&self) -> Vec<String> {
        self.0.iter().map(|t| t.0.clone()).collect()
    }
}

/// Everything the learner wrote or brought on a card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardMaterial {
    pub note: Option<CardNote>,
    pub translation: Option<CustomTranslation>,
    pub tags: Tags,
    pub source_sentence: Option<SourceSentence>,
}

/// A change to a card's material: `None` keeps a field, `Some(None)` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaterialEdit {
    pub note: Option<Option<CardNote>>,
    pub translation: Option<Option<CustomTranslation>>,
    pub tags: Option<Tags>,
    pub source_sentence: Option<Option<SourceSentence>>,
}

impl MaterialEdit {
    pub fn is_empty(&self) -> bool {
        self.note.is_none()
            && self.translation.is_none()
            && self.tags.is_none()
            && self.source_sentence.is_none()
    }

    /// `material` with this edit applied.
    pub fn apply(&self, material: &CardMaterial) -> CardMaterial {
        CardMaterial {
            note: self.note.clone().unwrap_or_else(|| material.note.clone()),
            translation: self
                .translation
                .clone()
                .unwrap_or_else(|| material.translation.clone()),
            tags: self.tags.clone().unwrap_or_else(|| material.tags.clone()),
            source_sentence: self
                .source_sentence
                .clone()
                .unwrap_or_else(|| material.source_sentence.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_keeps_its_lines_but_refuses_other_control_characters() {
        assert_eq!(
            CardNote::parse("  line one\nline two ")
                .expect("valid")
                .as_str(),
            "line one\nline two"
        );
        assert_eq!(
            CardNote::parse("bell\u{7}"),
            Err(MaterialError::ControlCharacter)
        );
        assert_eq!(
            CustomTranslation::parse("two\nlines"),
            Err(MaterialError::ControlCharacter)
        );
    }

    #[test]
    fn texts_are_bounded_and_non_empty() {
        assert_eq!(CardNote::parse("   "), Err(MaterialError::Empty));
        let long = "é".repeat(MAX_TRANSLATION_CHARS + 1);
        assert_eq!(
            CustomTranslation::parse(&long),
            Err(MaterialError::TooLong(MAX_TRANSLATION_CHARS))
        );
        assert!(CustomTranslation::parse(&"é".repeat(MAX_TRANSLATION_CHARS)).is_ok());
        assert!(SourceSentence::parse(&"a".repeat(MAX_SENTENCE_CHARS + 1)).is_err());
    }

    #[test]
    fn tags_are_lowercased_deduplicated_and_checked() {
        let tags = Tags::parse(&["Verbs", "verbs", "book:Dune", "ürün"]).expect("valid");
        assert_eq!(tags.as_strings(), vec!["book:dune", "verbs", "ürün"]);
        assert_eq!(Tag::parse("two words"), Err(MaterialError::TagCharset));
        assert_eq!(Tag::parse("semi;colon"), Err(MaterialError::TagCharset));
        assert_eq!(
            Tag::parse(&"x".repeat(MAX_TAG_CHARS + 1)),
            Err(MaterialError::TooLong(MAX_TAG_CHARS))
        );
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert_eq!(Tags::parse(&many), Err(MaterialError::TooManyTags));
    }

    #[test]
    fn an_edit_changes_only_what_it_names() {
        let before = CardMaterial {
            note: Some(CardNote::parse("old").expect("valid")),
            translation: Some(CustomTranslation::parse("tr").expect("valid")),
            tags: Tags::parse(&["a"]).expect("valid"),
            source_sentence: None,
        };
        let edit = MaterialEdit {
            note: Some(None),
            tags: Some(Tags::parse(&["b"]).expect("valid")),
            ..MaterialEdit::default()
        };
        let after = edit.apply(&before);
        assert_eq!(after.note, None);
        assert_eq!(after.translation, before.translation);
        assert_eq!(after.tags.as_strings(), vec!["b"]);
    }
}
