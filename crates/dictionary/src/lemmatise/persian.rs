//! Persian forms the lemma table may lack: plural, object and comparative suffixes written
//! after a ZWNJ (`کتاب‌ها`, `کتاب‌های`, `مهم‌ترین`), the verbal prefixes written before one
//! (`می‌روم`), and the same word written without the ZWNJ.

use crate::normalise::is_joiner;

/// Suffixes written after a ZWNJ, longest first.
const SUFFIXES: &[&str] = &[
    "هایی", "هایم", "هایت", "هایش", "های", "ها", "ترین", "تر", "ای", "ی", "ام", "ات", "اش",
];
const PREFIXES: &[&str] = &["می", "نمی"];

/// The stems left when a suffix or prefix is detached from `form`, most likely first.
pub fn detached(form: &str) -> Vec<String> {
    let parts: Vec<&str> = form.split(is_joiner).collect();
    let mut out = Vec::new();
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        if SUFFIXES.contains(&last) {
            out.push(parts[..parts.len() - 1].join("\u{200C}"));
        }
        if PREFIXES.contains(&parts[0]) {
            out.push(parts[1..].join("\u{200C}"));
        }
    }
    out
}

/// `form` written without its ZWNJs: the table often has that spelling only (`کتابهای → کتاب`).
pub fn joined(form: &str) -> Option<String> {
    form.contains(is_joiner)
        .then(|| form.split(is_joiner).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_comparatives_and_verb_prefixes_are_detached() {
        assert_eq!(detached("کتاب\u{200C}ها"), ["کتاب"]);
        assert_eq!(detached("مهم\u{200C}ترین"), ["مهم"]);
        assert_eq!(detached("می\u{200C}روم"), ["روم"]);
        assert!(detached("کتاب\u{200C}فروشی").is_empty());
        assert_eq!(joined("کتاب\u{200C}های").as_deref(), Some("کتابهای"));
        assert!(joined("کتاب").is_none());
    }
}
