//! Splitting a text into word tokens: Unicode word boundaries (UAX #29), which keep `didn't`
//! whole, split Arabic correctly and keep Persian words joined by ZWNJ (`کتاب‌ها`) whole.

use crate::normalise::{fold_key, is_joiner};
use unicode_segmentation::UnicodeSegmentation;

/// The fold keys of the words of `text`, in order. Numbers and tokens without a letter are
/// dropped; apostrophes at the edges are trimmed.
pub fn tokenise(text: &str) -> Vec<String> {
    let folded = fold_key(text);
    folded
        .unicode_words()
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '’' || is_joiner(c)))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_contractions_stay_whole_and_numbers_go() {
        assert_eq!(
            tokenise("I didn't see 3 Children, 2024!"),
            ["i", "didn't", "see", "children"]
        );
    }

    #[test]
    fn persian_zwnj_words_stay_whole() {
        assert_eq!(
            tokenise("این کتاب‌ها خوب است."),
            ["این", "کتاب\u{200C}ها", "خوب", "است"]
        );
    }

    #[test]
    fn arabic_is_split_and_normalised() {
        // Arabic yeh and kaf are unified, harakat dropped.
        assert_eq!(tokenise("الكِتَابُ كبير"), ["الکتاب", "کبیر"]);
    }
}
