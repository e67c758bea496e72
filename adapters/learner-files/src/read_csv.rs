//! A learner's CSV or TSV word list: one word per row, then optional translation, note and
//! tags columns (tags separated by spaces). A header row naming the columns (`word,translation`,
//! `Front;Back;Tags`) is recognised and may put them in any order; without one the columns are
//! positional. CSV uses `,` or `;`, whichever the first row has more of outside quotes. A UTF-8
//! byte-order mark and the `#key:value` lines Anki's plain-text export starts with are skipped.
//! A row that is not UTF-8, or whose quoted field is never closed, is reported at its line and
//! the rest is read.

use lingo_dictfiles::text::{clean_text, sniff_delimiter, split_fields};
use lingo_learning::import_words::{ListedWord, ReadLimits, RowError, WordList, WordListError};

const BOM: &str = "\u{feff}";

/// A quoted field may run over several lines, up to this many bytes for the whole row.
const MAX_RECORD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    CommaOrSemicolon,
    Tab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Word,
    Translation,
    Note,
    Tags,
    Ignored,
}

fn role_of(name: &str) -> Option<Column> {
    let name = name.trim().to_lowercase().replace(['_', '-'], " ");
    Some(match name.as_str() {
        "word" | "lemma" | "term" | "front" | "expression" | "vocabulary" | "vocab"
        | "headword" => Column::Word,
        "translation" | "meaning" | "back" | "definition" | "gloss" => Column::Translation,
        "note" | "notes" | "comment" | "comments" | "extra" | "example" | "sentence" => {
            Column::Note
        }
        "tags" | "tag" => Column::Tags,
        _ => return None,
    })
}

/// The roles a header row names, or `None` when it is no header (a cell that names nothing,
/// or no word column).
fn header(cells: &[String]) -> Option<Vec<Column>> {
    let mut roles: Vec<Column> = Vec::with_capacity(cells.len());
    for cell in cells {
        let role = role_of(cell)?;
        roles.push(if roles.contains(&role) {
            Column::Ignored
        } else {
            role
        });
    }
    roles.contains(&Column::Word).then_some(roles)
}

const POSITIONAL: [Column; 4] = [
    Column::Word,
    Column::Translation,
    Column::Note,
    Column::Tags,
];

fn listed(line: u64, cells: &[String], roles: &[Column]) -> ListedWord {
    let mut word = ListedWord {
        line: Some(line),
        note_id: None,
        lemma: String::new(),
        translation: None,
        note: None,
        tags: Vec::new(),
        cards: Vec::new(),
    };
    for (at, cell) in cells.iter().enumerate() {
        let text = clean_text(cell);
        match roles.get(at).copied().unwrap_or(Column::Ignored) {
            Column::Word => word.lemma = text,
            Column::Translation => word.translation = Some(text).filter(|t| !t.is_empty()),
            Column::Note => word.note = Some(text).filter(|t| !t.is_empty()),
            Column::Tags => word.tags = text.split_whitespace().map(str::to_owned).collect(),
            Column::Ignored => {}
        }
    }
    word
}

/// An Anki plain-text export's `#separator:tab`, `#html:true`, `#tags column:3` … lines.
fn is_directive(line: &str) -> bool {
    line.strip_prefix('#').is_some_and(|rest| {
        rest.split_once(':').is_some_and(|(key, _)| {
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
        })
    })
}

/// Reads the whole list in `bytes`.
pub fn read(
    bytes: &[u8],
    separator: Separator,
    limits: &ReadLimits,
) -> Result<WordList, WordListError> {
    let mut list = WordList::default();
    let mut roles: Option<Vec<Column>> = None;
    let mut delimiter = match separator {
        Separator::Tab => Some('\t'),
        Separator::CommaOrSemicolon => None,
    };
    let mut record = String::new();
    let mut first_line = 0u64;
    let mut preamble = true;
    let mut lines = bytes.split(|b| *b == b'\n').enumerate().peekable();
    while let Some((index, raw)) = lines.next() {
        let number = index as u64 + 1;
        if lines.peek().is_none() && raw.is_empty() {
            break;
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(e) => {
                let reason = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
                let line = if first_line == 0 { number } else { first_line };
                list.errors.push(RowError::at_line(line, reason));
                record.clear();
                first_line = 0;
                continue;
            }
        };
        let text = if number == 1 {
            text.strip_prefix(BOM).unwrap_or(text)
        } else {
            text
        };
        if first_line == 0 {
            if text.trim().is_empty() || (preamble && is_directive(text)) {
                continue;
            }
            preamble = false;
            first_line = number;
        } else {
            record.push('\n');
        }
        record.push_str(text);
        let separator = *delimiter.get_or_insert_with(|| sniff_delimiter(&record));
        let Some(cells) = split_fields(&record, separator) else {
            if record.len() > MAX_RECORD_BYTES {
                list.errors.push(RowError::at_line(
                    first_line,
                    format!("a quoted field runs over more than {MAX_RECORD_BYTES} bytes"),
                ));
                record.clear();
                first_line = 0;
            }
            continue;
        };
        let line = first_line;
        record.clear();
        first_line = 0;
        if roles.is_none() {
            let named = header(&cells);
            let is_header = named.is_some();
            roles = Some(named.unwrap_or_else(|| POSITIONAL.to_vec()));
            if is_header {
                continue;
            }
        }
        let columns = roles.as_deref().unwrap_or(&POSITIONAL);
        if list.words.len() + list.errors.len() >= limits.max_rows {
            return Err(WordListError::Invalid(format!(
                "the list has more than {} rows",
                limits.max_rows
            )));
        }
        list.words.push(listed(line, &cells, columns));
    }
    if first_line != 0 {
        list.errors.push(RowError::at_line(
            first_line,
            "a quoted field is never closed",
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_csv(text: &str) -> WordList {
        read(
            text.as_bytes(),
            Separator::CommaOrSemicolon,
            &ReadLimits::default(),
        )
        .expect("read")
    }

    #[test]
    fn positional_columns_are_word_translation_note_and_tags() {
        let list = read_csv("resilient,مقاوم,\"from a text, page 3\",ielts academic\nthrive\n");
        assert!(list.errors.is_empty());
        assert_eq!(list.words.len(), 2);
        let first = &list.words[0];
        assert_eq!(first.lemma, "resilient");
        assert_eq!(first.translation.as_deref(), Some("مقاوم"));
        assert_eq!(first.note.as_deref(), Some("from a text, page 3"));
        assert_eq!(first.tags, ["ielts", "academic"]);
        assert_eq!(list.words[1].line, Some(2));
        assert_eq!(list.words[1].translation, None);
    }

    #[test]
    fn a_header_names_the_columns_in_any_order_and_semicolons_are_sniffed() {
        let list = read_csv("\u{feff}Translation;Word;Notes\nخانه;house;mine\n");
        assert_eq!(list.words.len(), 1);
        assert_eq!(list.words[0].lemma, "house");
        assert_eq!(list.words[0].translation.as_deref(), Some("خانه"));
        assert_eq!(list.words[0].note.as_deref(), Some("mine"));
        assert_eq!(list.words[0].line, Some(2));
    }

    #[test]
    fn tsv_with_anki_directives_and_html_reads_as_plain_text() {
        let text = "#separator:tab\n#html:true\n<b>bank</b>\tshore<br>of a river\r\n";
        let list = read(text.as_bytes(), Separator::Tab, &ReadLimits::default()).expect("read");
        assert_eq!(list.words.len(), 1);
        assert_eq!(list.words[0].lemma, "bank");
        assert_eq!(
            list.words[0].translation.as_deref(),
            Some("shore of a river")
        );
        assert_eq!(list.words[0].line, Some(3));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_reported_and_the_rest_is_read() {
        let bytes = b"one,1\ntw\xff\xfeo,2\nthree,3\n";
        let list = read(bytes, Separator::CommaOrSemicolon, &ReadLimits::default()).expect("read");
        assert_eq!(list.words.len(), 2);
        assert_eq!(list.errors.len(), 1);
        assert_eq!(list.errors[0].line, Some(2));
        assert!(list.errors[0].reason.contains("UTF-8"));
    }

    #[test]
    fn a_quoted_field_across_lines_is_one_row_and_an_unclosed_one_is_reported() {
        let list = read_csv("word,\"two\nlines\"\nnext,\"never closed\n");
        assert_eq!(list.words.len(), 1);
        assert_eq!(list.words[0].translation.as_deref(), Some("two lines"));
        assert_eq!(list.errors.len(), 1);
        assert_eq!(list.errors[0].line, Some(3));
    }

    #[test]
    fn a_list_longer_than_the_row_limit_is_refused_whole() {
        let limits = ReadLimits {
            max_rows: 2,
            ..ReadLimits::default()
        };
        let refused = read(b"a\nb\nc\n", Separator::CommaOrSemicolon, &limits);
        assert!(
            matches!(refused, Err(WordListError::Invalid(m)) if m.contains("more than 2 rows"))
        );
        assert!(read(b"a\nb\n", Separator::CommaOrSemicolon, &limits).is_ok());
    }
}
