//! Discriminators that tell a source's entries for one headword apart and stay the same when
//! the provider answers again, so that storing an answer twice replaces, never duplicates.
//!
//! They are built from the part of speech, not from positions alone: a provider that adds a
//! verb before the noun must not give the noun a new id. A second entry with the same part of
//! speech (another etymology) gets `-2`, a third `-3`.

use lingo_dictionary::PartOfSpeech;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub(crate) struct Discriminators {
    seen: HashMap<String, u32>,
}

impl Discriminators {
    /// `{prefix}{part of speech}`, with `-n` from the second time it is asked for.
    pub(crate) fn next(&mut self, prefix: &str, part_of_speech: &PartOfSpeech) -> String {
        let pos = if part_of_speech.is_unknown() {
            "unknown"
        } else {
            part_of_speech.as_str()
        };
        let base = format!("{prefix}{pos}");
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        match *count {
            1 => base,
            n => format!("{base}-{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_numbered_and_unknown_is_named() {
        let mut discriminators = Discriminators::default();
        let noun = PartOfSpeech::parse("Noun");
        assert_eq!(discriminators.next("", &noun), "noun");
        assert_eq!(
            discriminators.next("", &PartOfSpeech::parse("verb")),
            "verb"
        );
        assert_eq!(discriminators.next("", &noun), "noun-2");
        assert_eq!(discriminators.next("1-", &noun), "1-noun");
        assert_eq!(discriminators.next("", &PartOfSpeech::unknown()), "unknown");
    }
}
