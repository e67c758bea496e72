//! A deck as CSV (RFC 4180): a header, then one row per card, oldest first. `lemma`,
//! `translation` and `note` come first, the columns a word-list import reads; tags are
//! space-separated (as Anki writes them; a tag never holds a space); times are RFC 3339 UTC.

use crate::export_deck::{DeckContents, ExportedCard};

pub const COLUMNS: [&str; 17] = [
    "lemma",
    "translation",
    "note",
    "tags",
    "source_sentence",
    "language",
    "part_of_speech",
    "card_type",
    "state",
    "due",
    "stability",
    "difficulty",
    "reps",
    "lapses",
    "last_review",
    "suspended",
    "reviews",
];

/// Quoted when it holds a comma, a quote, a line break or surrounding spaces; quotes doubled.
fn field(value: &str) -> String {
    let needs_quotes = value.contains([',', '"', '\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn row(card: &ExportedCard) -> [String; 17] {
    let c = &card.card;
    let opt = |v: Option<&str>| v.unwrap_or_default().to_owned();
    [
        card.word.lemma.clone(),
        opt(card.translation.as_deref()),
        opt(c.material.note.as_ref().map(|n| n.as_str())),
        c.material.tags.as_strings().join(" "),
        opt(c.material.source_sentence.as_ref().map(|s| s.as_str())),
        card.word.language.clone(),
        card.part_of_speech.clone(),
        c.card_type.as_str().to_owned(),
        c.schedule.state.as_str().to_owned(),
        c.schedule.due.to_rfc3339(),
        c.schedule
            .stability
            .map(|s| s.to_string())
            .unwrap_or_default(),
        c.schedule
            .difficulty
            .map(|d| d.to_string())
            .unwrap_or_default(),
        c.reps.to_string(),
        c.lapses.to_string(),
        c.schedule
            .last_review
            .map(|t| t.to_rfc3339())
            .unwrap_or_default(),
        c.suspended.to_string(),
        card.reviews.len().to_string(),
    ]
}

/// The whole file, lines ended with CRLF as RFC 4180 says.
pub fn write(contents: &DeckContents) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for card in &contents.cards {
        let fields: Vec<String> = row(card).iter().map(|v| field(v)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_quotes_or_breaks_are_quoted() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field("خانه"), "خانه");
    }
}
