//! Splitting one CSV/TSV record into fields (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`,
//! line breaks inside quotes), and sniffing the delimiter.
//!
//! Records are found line by line here rather than with the `csv` crate, whose record line
//! numbers drift after blank lines and with CRLF endings (rust-csv issues #208 and #395):
//! malformed records must be reported at their real line.

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field; spaces before an opening quote are dropped.
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: a closing quote, or the first of `""`.
    QuoteInQuoted,
}

/// The fields of `record`, or `None` when it ends inside a quoted field (the record goes on
/// on the next line). A stray quote inside an unquoted field is kept as text.
pub fn split_fields(record: &str, delimiter: char) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut state = State::FieldStart;
    for c in record.chars() {
        state = match (state, c) {
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::Quoted, c) => {
                field.push(c);
                State::Quoted
            }
            (State::QuoteInQuoted, '"') => {
                field.push('"');
                State::Quoted
            }
            (State::FieldStart, '"') => {
                field.clear();
                State::Quoted
            }
            (_, c) if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                State::FieldStart
            }
            (State::FieldStart, ' ' | '\t') => {
                field.push(c);
                State::FieldStart
            }
            (_, c) => {
                field.push(c);
                State::Unquoted
            }
        };
    }
    if state == State::Quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

/// `;` when the line has more semicolons than commas outside quotes, else `,`.
pub fn sniff_delimiter(line: &str) -> char {
    let mut quoted = false;
    let (mut commas, mut semicolons) = (0usize, 0usize);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { ';' } else { ',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields joined with `|`, to compare in one line.
    fn fields(record: &str, delimiter: char) -> Option<String> {
        split_fields(record, delimiter).map(|f| f.join("|"))
    }

    #[test]
    fn plain_and_quoted_fields() {
        assert_eq!(fields("a,b,c", ',').as_deref(), Some("a|b|c"));
        assert_eq!(fields("\"a, b\",c", ',').as_deref(), Some("a, b|c"));
        assert_eq!(
            fields("\"say \"\"hi\"\"\",x", ',').as_deref(),
            Some("say \"hi\"|x")
        );
        assert_eq!(fields("a, \"b, c\"", ',').as_deref(), Some("a|b, c"));
        assert_eq!(fields(",,", ',').as_deref(), Some("||"));
        assert_eq!(fields("a;b,c", ';').as_deref(), Some("a|b,c"));
        assert_eq!(fields("a\tb c", '\t').as_deref(), Some("a|b c"));
    }

    #[test]
    fn stray_quotes_in_unquoted_fields_are_text() {
        assert_eq!(
            fields("5\" nails,clavos", ',').as_deref(),
            Some("5\" nails|clavos")
        );
        assert_eq!(fields("\"a\"b,c", ',').as_deref(), Some("ab|c"));
    }

    #[test]
    fn a_record_ending_inside_quotes_is_incomplete() {
        assert_eq!(fields("a,\"first line", ','), None);
        assert_eq!(
            fields("a,\"first line\nsecond line\",c", ',').as_deref(),
            Some("a|first line\nsecond line|c")
        );
    }

    #[test]
    fn the_delimiter_is_the_more_frequent_one_outside_quotes() {
        assert_eq!(sniff_delimiter("word,translation,example"), ',');
        assert_eq!(sniff_delimiter("word;translation;\"a, b, c\""), ';');
        assert_eq!(sniff_delimiter("house"), ',');
    }
}
