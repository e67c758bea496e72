//! Which column of a word list holds what: named by a header row when the first row is one
//! (`Front,Back,Tags`; `word;translation;example`), else by position (word, translation,
//! example), as flashcard apps export them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Word,
    /// The meaning in the learner's language (a translation, or a gloss when the import has
    /// no translation language).
    Translation,
    /// A definition in the word's own language.
    Definition,
    Example,
    PartOfSpeech,
    Ignored,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    roles: Vec<Column>,
}

impl Columns {
    pub(crate) fn positional() -> Self {
        Self {
            roles: vec![Column::Word, Column::Translation, Column::Example],
        }
    }

    /// The columns a header row names, or `None` when `cells` is not a header: every cell
    /// must be a known column name and one of them must name the word.
    pub(crate) fn from_header(cells: &[String]) -> Option<Self> {
        let mut roles = Vec::with_capacity(cells.len());
        for cell in cells {
            let role = if cell.trim().is_empty() {
                Column::Ignored
            } else {
                role_of(cell)?
            };
            // A role named twice is read from its first column only.
            roles.push(if roles.contains(&role) {
                Column::Ignored
            } else {
                role
            });
        }
        roles.contains(&Column::Word).then_some(Self { roles })
    }

    pub(crate) fn role(&self, column: usize) -> Column {
        self.roles.get(column).copied().unwrap_or(Column::Ignored)
    }
}

fn role_of(name: &str) -> Option<Column> {
    let name = name.trim().to_lowercase().replace(['_', '-'], " ");
    Some(match name.as_str() {
        "word" | "term" | "front" | "headword" | "lemma" | "expression" | "vocabulary"
        | "vocab" => Column::Word,
        "translation" | "translations" | "meaning" | "back" => Column::Translation,
        "definition" | "definitions" | "gloss" => Column::Definition,
        "example" | "examples" | "sentence" | "example sentence" | "context" => Column::Example,
        "pos" | "part of speech" | "word class" => Column::PartOfSpeech,
        "tags" | "tag" | "notes" | "note" | "comment" | "audio" | "image" | "picture" | "ipa"
        | "pronunciation" | "deck" | "id" | "source" | "level" => Column::Ignored,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: &[&str]) -> Vec<String> {
        row.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn a_header_row_names_the_columns_in_any_order() {
        let columns = Columns::from_header(&cells(&["Example", "Front", "Back", "Tags"]));
        let columns = columns.as_ref();
        assert_eq!(columns.map(|c| c.role(0)), Some(Column::Example));
        assert_eq!(columns.map(|c| c.role(1)), Some(Column::Word));
        assert_eq!(columns.map(|c| c.role(2)), Some(Column::Translation));
        assert_eq!(columns.map(|c| c.role(3)), Some(Column::Ignored));
        assert_eq!(columns.map(|c| c.role(9)), Some(Column::Ignored));
    }

    #[test]
    fn a_row_of_words_is_not_a_header() {
        assert_eq!(Columns::from_header(&cells(&["house", "casa"])), None);
        assert_eq!(Columns::from_header(&cells(&["word", "casa"])), None);
        assert_eq!(
            Columns::from_header(&cells(&["translation", "example"])),
            None
        );
    }

    #[test]
    fn positional_columns_are_word_translation_example() {
        let columns = Columns::positional();
        assert_eq!(columns.role(0), Column::Word);
        assert_eq!(columns.role(1), Column::Translation);
        assert_eq!(columns.role(2), Column::Example);
        assert_eq!(columns.role(3), Column::Ignored);
    }
}
