//! The content Lingo makes for one learner profile: the senses a learner at this level needs,
//! each defined simply in the word's language and translated into the learner's native language,
//! examples at the level with translations, collocations, a mnemonic, a note on the mistakes
//! speakers of the native language commonly make, and IPA.
//!
//! `LEARNER_CONTENT_SCHEMA` is the JSON Schema given to generators; `LearnerContent::parse`
//! enforces the same rules (and a few a schema cannot express), so nothing that breaks them is
//! ever stored or served.

use serde::{Deserialize, Serialize};

/// JSON Schema (draft 2020-12 subset accepted by OpenAI structured outputs: every property
/// required, no additional properties).
pub const LEARNER_CONTENT_SCHEMA: &str = include_str!("learner_content.schema.json");

pub const MAX_TEXT: usize = 400;
pub const MAX_NOTE: usize = 600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSense {
    pub part_of_speech: String,
    /// A simple definition in the word's language, at the learner's level.
    pub definition: String,
    /// The meaning in the learner's native language.
    pub translation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentExample {
    pub text: String,
    pub translation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnerContent {
    /// IPA, e.g. `/haʊs/`; empty when unknown.
    pub ipa: String,
    /// 1 to 3 senses.
    pub senses: Vec<ContentSense>,
    /// 2 or 3 examples.
    pub examples: Vec<ContentExample>,
    /// 0 to 8 common collocations.
    pub collocations: Vec<String>,
    pub mnemonic: String,
    pub common_mistakes: String,
}

fn check_text(field: &str, value: &str, max: usize, errors: &mut Vec<String>) {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.push(format!("{field} must not be empty"));
    } else if trimmed.chars().count() > max {
        errors.push(format!("{field} is longer than {max} characters"));
    } else if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        errors.push(format!("{field} contains control characters"));
    }
}

impl LearnerContent {
    /// Parses generator output: JSON text (a fenced ```json block is tolerated) that must match
    /// the schema exactly. Every violation is listed, so a repair request can name them all.
    pub fn parse(raw: &str, lemma: &str) -> Result<Self, Vec<String>> {
        let body = strip_fence(raw);
        let content: LearnerContent =
            serde_json::from_str(body).map_err(|e| vec![format!("not valid content JSON: {e}")])?;
        let errors = content.violations(lemma);
        if errors.is_empty() {
            Ok(content)
        } else {
            Err(errors)
        }
    }

    pub fn violations(&self, lemma: &str) -> Vec<String> {
        let mut errors = Vec::new();
        if !(1..=3).contains(&self.senses.len()) {
            errors.push(format!(
                "senses must hold 1 to 3 items, not {}",
                self.senses.len()
            ));
        }
        if !(2..=3).contains(&self.examples.len()) {
            errors.push(format!(
                "examples must hold 2 or 3 items, not {}",
                self.examples.len()
            ));
        }
        if self.collocations.len() > 8 {
            errors.push("collocations must hold at most 8 items".to_owned());
        }
        if self.ipa.chars().count() > 80 {
            errors.push("ipa is longer than 80 characters".to_owned());
        }
        for (i, s) in self.senses.iter().enumerate() {
            check_text(
                &format!("senses[{i}].definition"),
                &s.definition,
                MAX_TEXT,
                &mut errors,
            );
            check_text(
                &format!("senses[{i}].translation"),
                &s.translation,
                MAX_TEXT,
                &mut errors,
            );
            if s.part_of_speech.chars().count() > 32 {
                errors.push(format!("senses[{i}].part_of_speech is too long"));
            }
        }
        for (i, e) in self.examples.iter().enumerate() {
            check_text(
                &format!("examples[{i}].text"),
                &e.text,
                MAX_TEXT,
                &mut errors,
            );
            check_text(
                &format!("examples[{i}].translation"),
                &e.translation,
                MAX_TEXT,
                &mut errors,
            );
        }
        for (i, c) in self.collocations.iter().enumerate() {
            check_text(&format!("collocations[{i}]"), c, 100, &mut errors);
        }
        check_text("mnemonic", &self.mnemonic, MAX_NOTE, &mut errors);
        check_text(
            "common_mistakes",
            &self.common_mistakes,
            MAX_NOTE,
            &mut errors,
        );
        // Examples that do not use the word teach nothing about it (any inflection counts: the
        // first four letters, or the whole word when shorter).
        let stem: String = lemma.to_lowercase().chars().take(4).collect();
        if !stem.is_empty()
            && self
                .examples
                .iter()
                .all(|e| !e.text.to_lowercase().contains(&stem))
        {
            errors.push(format!("no example uses '{lemma}'"));
        }
        errors
    }
}

fn strip_fence(raw: &str) -> &str {
    let trimmed = raw.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn valid_json() -> serde_json::Value {
        serde_json::json!({
            "ipa": "/haʊs/",
            "senses": [{"part_of_speech": "noun", "definition": "a building where people live", "translation": "خانه"}],
            "examples": [
                {"text": "They live in a big house.", "translation": "آنها در یک خانه بزرگ زندگی می‌کنند."},
                {"text": "My house is near the park.", "translation": "خانه من نزدیک پارک است."}
            ],
            "collocations": ["big house", "move house"],
            "mnemonic": "A mouse lives in a house.",
            "common_mistakes": "Persian speakers say 'I go to house' instead of 'I go home'."
        })
    }

    #[test]
    fn valid_content_parses_even_inside_a_fence() {
        let raw = valid_json().to_string();
        assert!(LearnerContent::parse(&raw, "house").is_ok());
        assert!(LearnerContent::parse(&format!("```json\n{raw}\n```"), "house").is_ok());
    }

    #[test]
    fn every_violation_is_listed() {
        let mut v = valid_json();
        v["senses"] = serde_json::json!([]);
        v["examples"][0]["translation"] = serde_json::json!(" ");
        v["mnemonic"] = serde_json::json!("x".repeat(700));
        let errors = LearnerContent::parse(&v.to_string(), "house").expect_err("invalid");
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn unknown_fields_missing_fields_and_non_json_are_rejected() {
        let mut v = valid_json();
        v["extra"] = serde_json::json!(1);
        assert!(LearnerContent::parse(&v.to_string(), "house").is_err());
        let mut v = valid_json();
        v.as_object_mut().expect("object").remove("ipa");
        assert!(LearnerContent::parse(&v.to_string(), "house").is_err());
        assert!(LearnerContent::parse("I cannot help with that.", "house").is_err());
    }

    #[test]
    fn examples_must_use_the_word() {
        let mut v = valid_json();
        v["examples"][0]["text"] = serde_json::json!("Nothing here.");
        v["examples"][1]["text"] = serde_json::json!("Nor here.");
        let errors = LearnerContent::parse(&v.to_string(), "house").expect_err("invalid");
        assert!(errors[0].contains("no example uses"));
    }

    #[test]
    fn the_schema_is_valid_json_naming_every_field() {
        let schema: serde_json::Value =
            serde_json::from_str(LEARNER_CONTENT_SCHEMA).expect("schema is JSON");
        let required = schema["required"].as_array().expect("required");
        for field in valid_json().as_object().expect("object").keys() {
            assert!(required.iter().any(|r| r == field), "{field} not required");
        }
        assert_eq!(schema["additionalProperties"], false);
    }
}
