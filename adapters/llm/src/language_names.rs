//! Language names for prompts: models follow "Persian" more reliably than "fa", and the
//! mistakes a learner makes depend on knowing which language they come from.

use lingo_kernel::LanguageCode;

/// English names by primary subtag, for the languages learners are most likely to have.
const NAMES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("am", "Amharic"),
    ("ar", "Arabic"),
    ("az", "Azerbaijani"),
    ("be", "Belarusian"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("fa", "Persian (Farsi)"),
    ("fi", "Finnish"),
    ("fil", "Filipino"),
    ("fr", "French"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("hy", "Armenian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ka", "Georgian"),
    ("kk", "Kazakh"),
    ("ko", "Korean"),
    ("ku", "Kurdish"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("ms", "Malay"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ps", "Pashto"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("ta", "Tamil"),
    ("th", "Thai"),
    ("tl", "Tagalog"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
];

/// `Persian (Farsi) [fa]`, `Portuguese [pt-BR]`; the bare tag for a language not listed.
pub(crate) fn language_name(code: &LanguageCode) -> String {
    NAMES
        .iter()
        .find(|(tag, _)| *tag == code.primary())
        .map_or_else(
            || format!("the language with BCP 47 tag {code}"),
            |(_, name)| format!("{name} [{code}]"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> LanguageCode {
        LanguageCode::parse(raw).expect("valid language code")
    }

    #[test]
    fn names_come_from_the_primary_subtag_and_keep_the_tag() {
        assert_eq!(language_name(&code("fa")), "Persian (Farsi) [fa]");
        assert_eq!(language_name(&code("pt-BR")), "Portuguese [pt-BR]");
        assert_eq!(
            language_name(&code("yo")),
            "the language with BCP 47 tag yo"
        );
    }
}
