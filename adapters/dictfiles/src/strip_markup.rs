//! Plain text out of whatever a dictionary file holds: HTML tags and the common entities some
//! sources leave in glosses, control characters, ragged whitespace.

/// Tags that separate words when they are removed (`one<br>two` is "one two").
const BREAKING_TAGS: &[&str] = &["br", "p", "div", "li", "tr", "td", "dd", "dt"];

/// Removes HTML tags, decodes the common entities, drops control characters and collapses
/// whitespace. A `<` that does not open a tag (`a < b`) is kept.
pub fn clean_text(raw: &str) -> String {
    let without_tags = strip_tags(raw);
    let decoded = decode_entities(&without_tags);
    collapse(&decoded)
}

fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match tag_length(after) {
            Some(len) => {
                if is_breaking(&after[..len]) {
                    out.push(' ');
                }
                rest = &after[len + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of a tag's inside when `after` (the text after a `<`) opens one.
fn tag_length(after: &str) -> Option<usize> {
    let first = after.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!') {
        return None;
    }
    let end = after.find(['>', '<', '\n'])?;
    after[end..].starts_with('>').then_some(end)
}

fn is_breaking(tag: &str) -> bool {
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BREAKING_TAGS.contains(&name.as_str())
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Control characters dropped (line breaks and tabs count as spaces), whitespace collapsed.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !c.is_control() {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_removed_and_breaking_tags_separate_words() {
        assert_eq!(
            clean_text("<b>bank</b> of a <i>river</i>"),
            "bank of a river"
        );
        assert_eq!(clean_text("one<br/>two"), "one two");
        assert_eq!(clean_text("<a href=\"x\">link</a>"), "link");
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(clean_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(clean_text("1 <2"), "1 <2");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            clean_text("fish &amp; chips&nbsp;&#233;&#x41;"),
            "fish & chips éA"
        );
        assert_eq!(clean_text("AT&T; R&D"), "AT&T; R&D");
    }

    #[test]
    fn control_characters_are_dropped_and_whitespace_collapsed() {
        assert_eq!(clean_text("  wo\u{0}rd\t\r\n  two\u{7f} "), "word two");
        assert_eq!(clean_text("کتاب\u{200C}ها"), "کتاب\u{200C}ها");
    }
}
