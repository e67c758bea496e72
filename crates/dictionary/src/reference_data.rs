//! Reference lists loaded at setup: word frequencies (`word<TAB>zipf`) and lemma tables
//! (`form<TAB>lemma`). Lines are parsed and normalised here so every store holds fold keys.

use crate::frequency::Zipf;
use crate::normalise::{fold_key, normalise};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct BadLine {
    pub line: u64,
    pub reason: String,
}

fn two_fields(line_no: u64, line: &str) -> Result<(&str, &str), BadLine> {
    let bad = |reason: &str| BadLine {
        line: line_no,
        reason: reason.to_owned(),
    };
    let mut parts = line.split('\t');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return Err(bad("expected two tab-separated fields"));
    };
    if a.trim().is_empty() || b.trim().is_empty() {
        return Err(bad("empty field"));
    }
    Ok((a.trim(), b.trim()))
}

/// `word<TAB>zipf` → (fold key, Zipf).
pub fn parse_frequency_line(line_no: u64, line: &str) -> Result<(String, Zipf), BadLine> {
    let (word, zipf) = two_fields(line_no, line)?;
    let zipf = zipf
        .parse::<f64>()
        .ok()
        .and_then(|z| Zipf::new(z).ok())
        .ok_or_else(|| BadLine {
            line: line_no,
            reason: format!("'{zipf}' is not a Zipf frequency (0 to 9)"),
        })?;
    Ok((fold_key(word), zipf))
}

/// `form<TAB>lemma` → (fold key of the form, normalised lemma).
pub fn parse_lemma_line(line_no: u64, line: &str) -> Result<(String, String), BadLine> {
    let (form, lemma) = two_fields(line_no, line)?;
    Ok((fold_key(form), normalise(lemma)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_lines_are_parsed_and_folded() {
        let (word, zipf) = parse_frequency_line(1, "House\t5.71").expect("valid");
        assert_eq!(word, "house");
        assert!((zipf.get() - 5.71).abs() < 1e-9);
        assert_eq!(parse_frequency_line(7, "house").map_err(|e| e.line), Err(7));
        assert!(parse_frequency_line(2, "house\t12").is_err());
        assert!(parse_frequency_line(2, "house\tmany").is_err());
    }

    #[test]
    fn lemma_lines_are_normalised() {
        let (form, lemma) = parse_lemma_line(1, "الكتب\tكتاب").expect("valid");
        assert_eq!(form, "الکتب");
        assert_eq!(lemma, "کتاب");
    }
}

/// Spellings that normalise to the same key keep the highest frequency of them.
pub fn keep_highest_zipf(
    rows: impl IntoIterator<Item = (String, crate::Zipf)>,
) -> Vec<(String, crate::Zipf)> {
    let mut best: std::collections::HashMap<String, crate::Zipf> = std::collections::HashMap::new();
    for (key, zipf) in rows {
        let slot = best.entry(key).or_insert(zipf);
        if zipf.get() > slot.get() {
            *slot = zipf;
        }
    }
    best.into_iter().collect()
}

#[cfg(test)]
mod keep_highest_zipf_tests {
    use super::*;
    use crate::Zipf;

    #[test]
    fn the_most_frequent_spelling_wins() {
        let zipf = |v: f64| Zipf::new(v).expect("valid zipf");
        let rows = vec![
            ("colour".to_owned(), zipf(4.0)),
            ("colour".to_owned(), zipf(5.5)),
            ("colour".to_owned(), zipf(3.0)),
            ("grey".to_owned(), zipf(4.2)),
        ];
        let mut kept = keep_highest_zipf(rows);
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            kept,
            vec![
                ("colour".to_owned(), zipf(5.5)),
                ("grey".to_owned(), zipf(4.2))
            ]
        );
    }
}
