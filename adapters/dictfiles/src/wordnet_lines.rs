//! The two WordNet 3.0 line formats (`wndb(5)`):
//! index: `lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…`;
//! data: `offset lex_filenum ss_type w_cnt word lex_id… p_cnt pointer… [frames] | gloss`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexLine {
    /// As written: lower case, words joined by `_`.
    pub(crate) lemma: String,
    pub(crate) pos: char,
    /// Synset offsets in the data file, most frequent sense first.
    pub(crate) offsets: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Synset {
    /// Spaces for underscores, adjective position markers (`(a)`, `(p)`, `(ip)`) removed.
    pub(crate) words: Vec<String>,
    pub(crate) definition: String,
    pub(crate) examples: Vec<String>,
}

/// Licence lines start with two spaces; blank lines carry nothing.
pub(crate) fn is_header(line: &str) -> bool {
    line.starts_with("  ") || line.trim().is_empty()
}

pub(crate) fn parse_index_line(line: &str) -> Result<IndexLine, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let number = |at: usize, what: &str| -> Result<usize, String> {
        fields
            .get(at)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("index line: {what} is missing or not a number"))
    };
    let lemma = fields.first().ok_or("index line: empty")?;
    let pos = fields
        .get(1)
        .and_then(|p| p.chars().next())
        .filter(|p| "nvars".contains(*p))
        .ok_or("index line: part of speech is not one of n, v, a, r, s")?;
    let synsets = number(2, "synset_cnt")?;
    let pointers = number(3, "p_cnt")?;
    let first_offset = 4 + pointers + 2;
    let offsets = fields
        .get(first_offset..first_offset + synsets)
        .ok_or("index line: fewer synset offsets than synset_cnt")?
        .iter()
        .map(|f| f.parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "index line: a synset offset is not a number".to_owned())?;
    Ok(IndexLine {
        lemma: (*lemma).to_owned(),
        pos,
        offsets,
    })
}

pub(crate) fn parse_data_line(line: &str) -> Result<Synset, String> {
    let (head, gloss) = line
        .split_once(" | ")
        .ok_or("data line: no ' | ' before the gloss")?;
    let fields: Vec<&str> = head.split_whitespace().collect();
    if fields.first().is_none_or(|f| f.parse::<u64>().is_err()) {
        return Err("data line: offset is not a number".to_owned());
    }
    let count = fields
        .get(3)
        .and_then(|f| usize::from_str_radix(f, 16).ok())
        .ok_or("data line: w_cnt is not a hexadecimal number")?;
    let words = fields
        .get(4..4 + 2 * count)
        .ok_or("data line: fewer words than w_cnt")?
        .iter()
        .step_by(2)
        .map(|w| display_word(w))
        .collect();
    let (definition, examples) = split_gloss(gloss);
    Ok(Synset {
        words,
        definition,
        examples,
    })
}

/// `ice_cream` → `ice cream`; `galore(ip)` → `galore`.
pub(crate) fn display_word(word: &str) -> String {
    let word = ["(a)", "(p)", "(ip)"]
        .iter()
        .find_map(|marker| word.strip_suffix(marker))
        .unwrap_or(word);
    word.replace('_', " ")
}

/// `definition; "example one"; "example two"` → the definition and the examples.
pub(crate) fn split_gloss(gloss: &str) -> (String, Vec<String>) {
    let gloss = gloss.trim();
    let Some(at) = gloss
        .find("; \"")
        .or_else(|| gloss.starts_with('"').then_some(0))
    else {
        return (gloss.to_owned(), Vec::new());
    };
    let definition = gloss[..at].trim().to_owned();
    let examples = gloss[at..]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    (definition, examples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_line_yields_its_offsets_after_the_pointer_symbols() {
        let line = "bank n 3 2 @ ~ 3 1 09213565 08420278 09213434  ";
        assert_eq!(
            parse_index_line(line),
            Ok(IndexLine {
                lemma: "bank".to_owned(),
                pos: 'n',
                offsets: vec![9_213_565, 8_420_278, 9_213_434],
            })
        );
        assert!(parse_index_line("bank n 3 2 @ ~ 3 1 09213565").is_err());
        assert!(parse_index_line("bank x 1 0 1 0 00000001").is_err());
    }

    #[test]
    fn a_data_line_yields_words_definition_and_examples() {
        let line = "00014358 00 s 02 abounding 0 galore(ip) 0 001 & 00013887 a 0000 | existing in abundance; \"abounding confidence\"; \"whiskey galore\"  ";
        let synset = parse_data_line(line);
        assert_eq!(
            synset,
            Ok(Synset {
                words: vec!["abounding".to_owned(), "galore".to_owned()],
                definition: "existing in abundance".to_owned(),
                examples: vec![
                    "abounding confidence".to_owned(),
                    "whiskey galore".to_owned()
                ],
            })
        );
    }

    #[test]
    fn glosses_keep_semicolons_of_the_definition_and_attributions_are_dropped() {
        let (definition, examples) =
            split_gloss("heave or utter a sigh; breathe deeply; \"She sighed\" - Anon; \"again\"");
        assert_eq!(definition, "heave or utter a sigh; breathe deeply");
        assert_eq!(examples, vec!["She sighed", "again"]);
        assert_eq!(split_gloss("no examples here").1, Vec::<String>::new());
    }
}
