//! The learner-content prompts: versioned files in the repository (`prompts/learner_content/v1/`)
//! compiled in, their `{{placeholders}}` filled from the request. Changing a prompt's meaning
//! means a new version directory, so stored content can always say which prompt made it.

use crate::dictionary_facts::{dictionary_facts, one_line};
use crate::language_names::language_name;
use lingo_content::LEARNER_CONTENT_SCHEMA;
use lingo_content::ports::{ContentRequest, Repair};

pub(crate) const PROMPT_VERSION: &str = "learner_content/v1";

const SYSTEM: &str = include_str!("../../../prompts/learner_content/v1/system.md");
const USER: &str = include_str!("../../../prompts/learner_content/v1/user.md");
const REPAIR: &str = include_str!("../../../prompts/learner_content/v1/repair.md");

/// A truncated or rambling previous answer is quoted back only this far.
const MAX_PREVIOUS_CHARS: usize = 6000;
const MAX_PROBLEMS: usize = 20;
const MAX_PROBLEM_CHARS: usize = 300;

/// The two messages of a chat request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prompt {
    pub(crate) system: String,
    pub(crate) user: String,
}

pub(crate) fn learner_content_prompt(request: &ContentRequest) -> Prompt {
    let word = &request.word;
    let part_of_speech = if word.part_of_speech.is_unknown() {
        "not given: use the most common one"
    } else {
        word.part_of_speech.as_str()
    };
    let lemma = one_line(&word.lemma, 100);
    let mut user = render(
        USER,
        &[
            ("word", &lemma),
            ("language", &language_name(&word.language)),
            ("part_of_speech", part_of_speech),
            ("native_language", &language_name(&request.native)),
            ("level", request.level.as_str()),
            (
                "dictionary_facts",
                &dictionary_facts(&word.entries, &request.native),
            ),
            ("schema", LEARNER_CONTENT_SCHEMA.trim()),
        ],
    );
    if let Some(repair) = &request.repair {
        user.push_str(&repair_section(repair));
    }
    Prompt {
        system: SYSTEM.trim().to_owned(),
        user: user.trim().to_owned(),
    }
}

fn repair_section(repair: &Repair) -> String {
    let previous = cap_chars(repair.previous.trim(), MAX_PREVIOUS_CHARS);
    let mut problems: Vec<String> = repair
        .problems
        .iter()
        .take(MAX_PROBLEMS)
        .enumerate()
        .map(|(n, problem)| format!("{}. {}", n + 1, one_line(problem, MAX_PROBLEM_CHARS)))
        .collect();
    if problems.is_empty() {
        problems.push("1. it did not match the schema".to_owned());
    }
    render(
        REPAIR,
        &[("previous", &previous), ("problems", &problems.join("\n"))],
    )
}

pub(crate) fn cap_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Replaces each `{{name}}` of `template` in one pass, so a value that itself contains `{{…}}`
/// (an answer quoted back for repair) is never expanded. Unknown names are left as they are:
/// the tests make sure the templates use none.
fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 2048);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let known = after.find("}}").and_then(|end| {
            let name = after[..end].trim();
            let value = values.iter().find(|(key, _)| *key == name)?.1;
            Some((value, end))
        });
        match known {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingo_content::ports::WordForContent;
    use lingo_dictionary::PartOfSpeech;
    use lingo_kernel::{CefrLevel, LanguageCode};

    fn request(repair: Option<Repair>) -> ContentRequest {
        ContentRequest {
            word: WordForContent {
                id: Default::default(),
                language: LanguageCode::english(),
                lemma: "house".to_owned(),
                part_of_speech: PartOfSpeech::parse("noun"),
                zipf: None,
                entries: Vec::new(),
            },
            native: LanguageCode::parse("fa").expect("valid language code"),
            level: CefrLevel::A2,
            repair,
        }
    }

    #[test]
    fn rendering_leaves_no_placeholder_in_any_template() {
        let repair = Repair {
            previous: "{\"ipa\": \"/haʊs/\"}".to_owned(),
            problems: vec!["senses must hold 1 to 3 items, not 0".to_owned()],
        };
        let prompt = learner_content_prompt(&request(Some(repair)));
        for text in [&prompt.system, &prompt.user] {
            assert!(!text.contains("{{"), "{text}");
        }
        assert!(prompt.user.contains("Word: house"));
        assert!(
            prompt
                .user
                .contains("Learner's native language: Persian (Farsi) [fa]")
        );
        assert!(prompt.user.contains("Learner's CEFR level: A2"));
        assert!(
            prompt.user.contains("\"common_mistakes\""),
            "the schema is included"
        );
    }

    #[test]
    fn every_placeholder_of_the_templates_is_known() {
        let names = |template: &str| -> Vec<String> {
            template
                .split("{{")
                .skip(1)
                .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.to_owned()))
                .collect()
        };
        let known = [
            "word",
            "language",
            "part_of_speech",
            "native_language",
            "level",
            "dictionary_facts",
            "schema",
            "previous",
            "problems",
        ];
        for template in [SYSTEM, USER, REPAIR] {
            for name in names(template) {
                assert!(known.contains(&name.as_str()), "unknown placeholder {name}");
            }
        }
    }

    #[test]
    fn a_repair_quotes_the_previous_answer_and_numbers_the_problems() {
        let repair = Repair {
            previous: "{\"senses\": [], \"note\": \"{{word}}\"}".to_owned(),
            problems: vec![
                "senses must hold 1 to 3 items, not 0".to_owned(),
                "x".to_owned(),
            ],
        };
        let prompt = learner_content_prompt(&request(Some(repair)));
        assert!(
            prompt
                .user
                .contains("{\"senses\": [], \"note\": \"{{word}}\"}")
        );
        assert!(
            prompt
                .user
                .contains("1. senses must hold 1 to 3 items, not 0\n2. x")
        );
        assert!(prompt.user.contains("corrected JSON"));
    }

    #[test]
    fn render_is_one_pass_and_keeps_unknown_names() {
        let out = render("{{a}} {{b}} {{c", &[("a", "{{b}}"), ("b", "B")]);
        assert_eq!(out, "{{b}} B {{c");
        assert_eq!(cap_chars("خانهٔ بزرگ", 4), "خانه…");
    }
}
