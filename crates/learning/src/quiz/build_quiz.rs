//! Building a quiz's questions from cards and word facts: pure, with a seeded random source, so
//! the same seed always builds the same quiz.
//!
//! Longer than most files (about 330 lines of code, the rest tests): the five question kinds
//! share the option sampling and distractor rules, and reading them side by side is what keeps
//! them consistent; splitting per kind would scatter one policy over five files.

use super::ports::{QuizMaterial, WordFacts};
use super::question::{Expected, Pair, Prompt, Question, QuestionKind};
use crate::card::Card;
use fastrand::Rng;
use lingo_dictionary::normalise::fold_key;
use lingo_kernel::CardId;
use std::collections::{HashMap, HashSet};

/// Options of a multiple-choice question (the answer and three distractors).
pub const OPTIONS: usize = 4;
/// Pairs of a matching question.
pub const MATCHING_MIN: usize = 3;
pub const MATCHING_MAX: usize = 4;
/// A quiz mixes in one matching question only from this many words on.
const MATCHING_FROM: usize = 5;
/// Distractors come from within ±0.75 Zipf of the answer, wider only when too few are there.
const ZIPF_WINDOWS: [f64; 3] = [0.75, 1.5, f64::INFINITY];
pub const BLANK: &str = "____";

fn same(a: &str, b: &str) -> bool {
    fold_key(a) == fold_key(b)
}

fn within(answer: Option<f64>, candidate: Option<f64>, window: f64) -> bool {
    match (answer, candidate) {
        (Some(a), Some(c)) => (a - c).abs() <= window,
        _ => window.is_infinite(),
    }
}

/// Up to `n` distractors for `answer`: same part of speech, closest frequency band first, never
/// the answer itself, one of its synonyms or a word with the same meaning.
pub fn pick_distractors(
    answer: &WordFacts,
    candidates: &[WordFacts],
    n: usize,
    rng: &mut Rng,
) -> Vec<WordFacts> {
    let eligible: Vec<&WordFacts> = candidates
        .iter()
        .filter(|c| {
            c.part_of_speech == answer.part_of_speech
                && c.word_id != answer.word_id
                && !same(&c.lemma, &answer.lemma)
                && !answer.synonyms.iter().any(|s| same(s, &c.lemma))
                && !c.synonyms.iter().any(|s| same(s, &answer.lemma))
                && c.meaning
                    .as_deref()
                    .is_some_and(|m| answer.meaning.as_deref().is_none_or(|a| !same(a, m)))
        })
        .collect();
    let mut chosen: Vec<WordFacts> = Vec::with_capacity(n);
    for window in ZIPF_WINDOWS {
        let mut pool: Vec<&WordFacts> = eligible
            .iter()
            .copied()
            .filter(|c| within(answer.zipf, c.zipf, window))
            .collect();
        rng.shuffle(&mut pool);
        for candidate in pool {
            if chosen.len() == n {
                break;
            }
            let clash = chosen
                .iter()
                .any(|c| same(&c.lemma, &candidate.lemma) || c.meaning == candidate.meaning);
            if !clash {
                chosen.push(candidate.clone());
            }
        }
        if chosen.len() == n {
            break;
        }
    }
    chosen
}

fn is_boundary(chars: &[char], index: Option<usize>) -> bool {
    index
        .and_then(|i| chars.get(i))
        .is_none_or(|c| !c.is_alphanumeric())
}

fn same_letter(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// `sentence` with the first whole-word occurrence of one of `targets` (longest first) blanked
/// out, and the text removed.
fn blank_out(sentence: &str, targets: &[&str]) -> Option<(String, String)> {
    let chars: Vec<char> = sentence.chars().collect();
    for target in targets {
        let wanted: Vec<char> = target.chars().collect();
        if wanted.is_empty() || wanted.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - wanted.len() {
            let end = start + wanted.len();
            let matches = chars[start..end]
                .iter()
                .zip(&wanted)
                .all(|(a, b)| same_letter(*a, *b));
            if matches
                && is_boundary(&chars, start.checked_sub(1))
                && is_boundary(&chars, Some(end))
            {
                let found: String = chars[start..end].iter().collect();
                let blanked: String = chars[..start]
                    .iter()
                    .chain(BLANK.chars().collect::<Vec<_>>().iter())
                    .chain(&chars[end..])
                    .collect();
                return Some((blanked, found));
            }
        }
    }
    None
}

/// An example sentence of the word with the word (or an inflected form) blanked out, and the
/// text the learner must type.
pub fn cloze(facts: &WordFacts, rng: &mut Rng) -> Option<(String, String)> {
    let mut targets: Vec<&str> = std::iter::once(facts.lemma.as_str())
        .chain(facts.forms.iter().map(String::as_str))
        .collect();
    targets.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    let found: Vec<(String, String)> = facts
        .examples
        .iter()
        .filter_map(|s| blank_out(s, &targets))
        .collect();
    if found.is_empty() {
        return None;
    }
    found.get(rng.usize(..found.len())).cloned()
}

type Item<'a> = (&'a Card, &'a WordFacts);

/// Words that can stand in a matching question: with a meaning, no lemma or meaning twice.
fn pairable<'a>(items: &[Item<'a>]) -> Vec<Item<'a>> {
    let mut pairable: Vec<Item<'a>> = Vec::new();
    for item in items {
        let facts = item.1;
        let unique = facts.meaning.as_deref().is_some_and(|m| {
            !pairable.iter().any(|(_, p)| {
                same(&p.lemma, &facts.lemma) || p.meaning.as_deref().is_some_and(|pm| same(pm, m))
            })
        });
        if unique {
            pairable.push(*item);
        }
    }
    pairable
}

fn matching(items: &[Item<'_>], rng: &mut Rng) -> (Prompt, Expected, Vec<CardId>) {
    let pairs: Vec<Pair> = items
        .iter()
        .map(|(card, facts)| Pair {
            card_id: card.id,
            word: facts.lemma.clone(),
            meaning: facts.meaning.clone().unwrap_or_default(),
        })
        .collect();
    let mut words: Vec<String> = pairs.iter().map(|p| p.word.clone()).collect();
    let mut meanings: Vec<String> = pairs.iter().map(|p| p.meaning.clone()).collect();
    rng.shuffle(&mut words);
    rng.shuffle(&mut meanings);
    let cards = pairs.iter().map(|p| p.card_id).collect();
    (
        Prompt::Matching { words, meanings },
        Expected::Pairs { pairs },
        cards,
    )
}

/// The matching groups and the words left for one question each.
fn group_matching<'a>(
    items: Vec<Item<'a>>,
    only_matching: bool,
) -> (Vec<Vec<Item<'a>>>, Vec<Item<'a>>) {
    let pairable = pairable(&items);
    if only_matching {
        let mut groups: Vec<Vec<Item<'a>>> = pairable
            .chunks(MATCHING_MAX)
            .map(<[Item<'a>]>::to_vec)
            .collect();
        // A short last group joins the one before it, or is dropped.
        if groups.last().is_some_and(|g| g.len() < MATCHING_MIN) {
            let last = groups.pop().unwrap_or_default();
            if let Some(previous) = groups.last_mut() {
                previous.extend(last);
            }
        }
        return (groups, Vec::new());
    }
    if items.len() < MATCHING_FROM || pairable.len() < MATCHING_MIN {
        return (Vec::new(), items);
    }
    let group: Vec<Item<'a>> = pairable
        .iter()
        .rev()
        .take(MATCHING_MAX)
        .rev()
        .copied()
        .collect();
    let rest = items
        .into_iter()
        .filter(|(card, _)| !group.iter().any(|(c, _)| c.id == card.id))
        .collect();
    (vec![group], rest)
}

/// One question about one word, of a kind its data allows, the kinds used least so far first.
fn single(
    (_, facts): Item<'_>,
    material: &QuizMaterial,
    allowed: &dyn Fn(QuestionKind) -> bool,
    used: &mut HashMap<QuestionKind, usize>,
    rng: &mut Rng,
) -> Option<(Prompt, Expected)> {
    let candidates = material
        .candidates
        .get(&facts.word_id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let distractors = pick_distractors(facts, candidates, OPTIONS - 1, rng);
    let cloze = cloze(facts, rng);
    let meaning = facts.meaning.clone();
    let choice = meaning.is_some() && distractors.len() == OPTIONS - 1;
    let mut kinds: Vec<QuestionKind> = [
        (QuestionKind::MeaningToWord, choice),
        (QuestionKind::WordToMeaning, choice),
        (QuestionKind::Cloze, cloze.is_some()),
        (QuestionKind::Typing, meaning.is_some()),
        (QuestionKind::Listening, facts.audio_url.is_some()),
    ]
    .into_iter()
    .filter(|(kind, possible)| *possible && allowed(*kind))
    .map(|(kind, _)| kind)
    .collect();
    rng.shuffle(&mut kinds);
    let kind = kinds
        .into_iter()
        .min_by_key(|k| used.get(k).copied().unwrap_or(0))?;
    *used.entry(kind).or_default() += 1;
    let text = |answer: &str| Expected::Text {
        answer: answer.to_owned(),
    };
    let meaning = meaning.unwrap_or_default();
    Some(match kind {
        QuestionKind::MeaningToWord => {
            let mut options: Vec<String> = distractors.into_iter().map(|d| d.lemma).collect();
            options.push(facts.lemma.clone());
            rng.shuffle(&mut options);
            (
                Prompt::MeaningToWord { meaning, options },
                text(&facts.lemma),
            )
        }
        QuestionKind::WordToMeaning => {
            let mut options: Vec<String> =
                distractors.into_iter().filter_map(|d| d.meaning).collect();
            options.push(meaning.clone());
            rng.shuffle(&mut options);
            let word = facts.lemma.clone();
            (Prompt::WordToMeaning { word, options }, text(&meaning))
        }
        QuestionKind::Cloze => {
            let (sentence, answer) = cloze?;
            let hint = Some(meaning).filter(|m| !m.is_empty());
            (Prompt::Cloze { sentence, hint }, text(&answer))
        }
        QuestionKind::Listening => {
            let mut options: Vec<String> = Vec::new();
            if distractors.len() == OPTIONS - 1 {
                options = distractors.into_iter().map(|d| d.lemma).collect();
                options.push(facts.lemma.clone());
                rng.shuffle(&mut options);
            }
            let audio_url = facts.audio_url.clone().unwrap_or_default();
            (Prompt::Listening { audio_url, options }, text(&facts.lemma))
        }
        QuestionKind::Typing | QuestionKind::Matching => {
            (Prompt::Typing { meaning }, text(&facts.lemma))
        }
    })
}

/// The questions of a quiz over `cards` (one per word, in order; a matching question last),
/// of the `kinds` asked for (all when empty).
pub fn build_questions(
    cards: &[Card],
    material: &QuizMaterial,
    kinds: &[QuestionKind],
    seed: u64,
) -> Vec<Question> {
    let mut rng = Rng::with_seed(seed);
    let allowed = |kind: QuestionKind| kinds.is_empty() || kinds.contains(&kind);
    let mut words = HashSet::new();
    let items: Vec<Item<'_>> = cards
        .iter()
        .filter(|c| words.insert(c.word))
        .filter_map(|c| material.facts.get(&c.word).map(|f| (c, f)))
        .collect();
    let only_matching = kinds.iter().all(|k| *k == QuestionKind::Matching) && !kinds.is_empty();
    let (groups, rest) = if allowed(QuestionKind::Matching) {
        group_matching(items, only_matching)
    } else {
        (Vec::new(), items)
    };
    let mut used = HashMap::new();
    let mut questions = Vec::new();
    let mut push = |prompt: Prompt, expected: Expected, card_ids: Vec<CardId>| {
        questions.push(Question {
            position: u32::try_from(questions.len() + 1).unwrap_or(u32::MAX),
            card_ids,
            prompt,
            expected,
            result: None,
        });
    };
    for item in rest {
        if let Some((prompt, expected)) = single(item, material, &allowed, &mut used, &mut rng) {
            push(prompt, expected, vec![item.0.id]);
        }
    }
    for group in groups {
        let (prompt, expected, card_ids) = matching(&group, &mut rng);
        push(prompt, expected, card_ids);
    }
    questions
}

/// Why [`build_questions`] found nothing to ask about `cards`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbuildable {
    /// No word has a meaning along the learner's chain (nor, for cloze, an example).
    NoMeanings,
    /// Only cloze questions were asked for and no word has an example sentence with it.
    NoExamples,
    /// Only listening questions were asked for and no word has audio (yet).
    NoAudio,
    /// Meanings exist, but the kinds asked for need distractors of the same part of speech (or,
    /// for matching, three words with distinct meanings) that the dictionary does not have.
    TooFewDistractors,
}

pub fn why_empty(cards: &[Card], material: &QuizMaterial, kinds: &[QuestionKind]) -> Unbuildable {
    let facts: Vec<&WordFacts> = cards
        .iter()
        .filter_map(|c| material.facts.get(&c.word))
        .collect();
    let only_cloze = !kinds.is_empty() && kinds.iter().all(|k| *k == QuestionKind::Cloze);
    let only_listening = !kinds.is_empty() && kinds.iter().all(|k| *k == QuestionKind::Listening);
    if only_listening && facts.iter().all(|f| f.audio_url.is_none()) {
        Unbuildable::NoAudio
    } else if only_cloze && facts.iter().any(|f| f.meaning.is_some()) {
        Unbuildable::NoExamples
    } else if facts.iter().all(|f| f.meaning.is_none()) {
        Unbuildable::NoMeanings
    } else {
        Unbuildable::TooFewDistractors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use lingo_kernel::WordId;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-10T12:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn word(lemma: &str, pos: &str, zipf: f64, meaning: &str) -> WordFacts {
        WordFacts {
            word_id: WordId::new(),
            lemma: lemma.into(),
            part_of_speech: pos.into(),
            zipf: Some(zipf),
            meaning: Some(meaning.into()),
            ..WordFacts::default()
        }
    }

    fn card(word: WordId) -> Card {
        Card::for_test(word, now())
    }

    fn nouns() -> Vec<WordFacts> {
        vec![
            word("house", "noun", 5.5, "خانه"),
            word("bank", "noun", 5.2, "بانک"),
            word("tree", "noun", 5.0, "درخت"),
            word("river", "noun", 4.9, "رودخانه"),
            word("window", "noun", 5.1, "پنجره"),
            word("cloud", "noun", 4.8, "ابر"),
            word("run", "verb", 5.3, "دویدن"),
            word("rare", "noun", 2.0, "نادر"),
        ]
    }

    #[test]
    fn distractors_share_the_part_of_speech_and_never_a_synonym_or_meaning() {
        let mut answer = word("house", "noun", 5.5, "خانه");
        answer.synonyms = vec!["Home".into(), "dwelling".into()];
        let mut candidates = nouns();
        candidates.push(word("home", "noun", 5.4, "منزل"));
        candidates.push(word("dwelling", "noun", 5.4, "مسکن"));
        candidates.push(word("abode", "noun", 5.4, "خانه"));
        let mut shelter = word("shelter", "noun", 5.4, "پناهگاه");
        shelter.synonyms = vec!["house".into()];
        candidates.push(shelter);
        for seed in 0..50 {
            let picked = pick_distractors(&answer, &candidates, 3, &mut Rng::with_seed(seed));
            assert_eq!(picked.len(), 3);
            for d in &picked {
                assert_eq!(d.part_of_speech, "noun");
                assert!(
                    !["house", "home", "dwelling", "abode", "shelter"].contains(&d.lemma.as_str()),
                    "{}",
                    d.lemma
                );
                // Within ±0.75 while enough are there: never the rare noun.
                assert_ne!(d.lemma, "rare");
            }
        }
    }

    #[test]
    fn the_frequency_window_widens_when_too_few_words_are_close() {
        let answer = word("house", "noun", 5.5, "خانه");
        let candidates = vec![
            word("bank", "noun", 5.2, "بانک"),
            word("rare", "noun", 2.0, "نادر"),
            word("odd", "noun", 3.9, "عجیب"),
        ];
        let picked = pick_distractors(&answer, &candidates, 3, &mut Rng::with_seed(1));
        assert_eq!(picked.len(), 3);
        assert_eq!(picked[0].lemma, "bank");
        assert_eq!(picked[1].lemma, "odd");
        assert_eq!(picked[2].lemma, "rare");
    }

    #[test]
    fn cloze_blanks_the_word_or_its_inflected_form() {
        let mut facts = word("house", "noun", 5.5, "خانه");
        facts.forms = vec!["houses".into()];
        facts.examples = vec![
            "A lighthouse is not it.".into(),
            "Two Houses stood there.".into(),
        ];
        let (sentence, answer) = cloze(&facts, &mut Rng::with_seed(3)).expect("cloze");
        assert_eq!(sentence, "Two ____ stood there.");
        assert_eq!(answer, "Houses");
        facts.examples = vec!["A lighthouse is not it.".into()];
        assert_eq!(cloze(&facts, &mut Rng::with_seed(3)), None);
    }

    fn material(words: &[WordFacts]) -> QuizMaterial {
        QuizMaterial {
            facts: words.iter().map(|w| (w.word_id, w.clone())).collect(),
            candidates: words.iter().map(|w| (w.word_id, words.to_vec())).collect(),
            meanings_from: Vec::new(),
        }
    }

    #[test]
    fn an_empty_quiz_names_its_cause() {
        let mut words = nouns();
        let cards: Vec<Card> = words.iter().map(|w| card(w.word_id)).collect();
        let choice = [QuestionKind::MeaningToWord];
        // Meanings but only one word: no distractors for a choice question.
        let alone = material(&words[..1]);
        assert!(build_questions(&cards[..1], &alone, &choice, 1).is_empty());
        assert_eq!(
            why_empty(&cards[..1], &alone, &choice),
            Unbuildable::TooFewDistractors
        );
        assert_eq!(
            why_empty(&cards, &material(&words), &[QuestionKind::Cloze]),
            Unbuildable::NoExamples
        );
        for w in &mut words {
            w.meaning = None;
        }
        let m = material(&words);
        assert!(build_questions(&cards, &m, &[], 1).is_empty());
        assert_eq!(why_empty(&cards, &m, &[]), Unbuildable::NoMeanings);
    }

    #[test]
    fn every_kind_is_built_from_what_the_data_allows() {
        let mut words = nouns();
        words[0].examples = vec!["They bought a house by the sea.".into()];
        words[0].audio_url = Some("/api/v1/audio/house".into());
        let cards: Vec<Card> = words.iter().map(|w| card(w.word_id)).collect();
        let m = material(&words);
        for kind in QuestionKind::ALL {
            let questions = build_questions(&cards, &m, &[kind], 7);
            assert!(!questions.is_empty(), "{kind:?}");
            assert!(questions.iter().all(|q| q.kind() == kind), "{kind:?}");
        }
        let cloze = build_questions(&cards, &m, &[QuestionKind::Cloze], 7);
        assert_eq!(cloze.len(), 1, "only one word has an example");
        assert_eq!(
            cloze[0].prompt,
            Prompt::Cloze {
                sentence: "They bought a ____ by the sea.".into(),
                hint: Some("خانه".into())
            }
        );
        // The only verb has no three distractors: never a choice question.
        let run = cards[6].id;
        let choices = build_questions(&cards, &m, &[QuestionKind::MeaningToWord], 7);
        assert!(choices.iter().all(|q| !q.card_ids.contains(&run)));
        for q in &choices {
            let Prompt::MeaningToWord { options, .. } = &q.prompt else {
                panic!("kind");
            };
            let Expected::Text { answer } = &q.expected else {
                panic!("expected");
            };
            assert_eq!(options.len(), OPTIONS);
            assert!(options.contains(answer));
        }
        let matching = build_questions(&cards, &m, &[QuestionKind::Matching], 7);
        assert_eq!(matching.len(), 2);
        assert_eq!(matching[0].card_ids.len(), 4);
    }

    #[test]
    fn a_mixed_quiz_varies_kinds_and_is_deterministic_with_a_seed() {
        let words = nouns();
        let cards: Vec<Card> = words.iter().map(|w| card(w.word_id)).collect();
        let m = material(&words);
        let a = build_questions(&cards, &m, &[], 42);
        let b = build_questions(&cards, &m, &[], 42);
        assert_eq!(a, b);
        let kinds: HashSet<QuestionKind> = a.iter().map(Question::kind).collect();
        assert!(kinds.len() >= 3, "{kinds:?}");
        assert!(kinds.contains(&QuestionKind::Matching));
        let positions: Vec<u32> = a.iter().map(|q| q.position).collect();
        assert_eq!(positions, (1..=a.len() as u32).collect::<Vec<_>>());
        // Every card is asked exactly once.
        let asked: usize = a.iter().map(|q| q.card_ids.len()).sum();
        assert_eq!(asked, cards.len());
    }

    #[test]
    fn listening_plays_the_word_and_offers_choices_only_with_distractors() {
        let mut words = nouns();
        for w in &mut words {
            w.audio_url = Some(format!("/api/v1/audio/{}", w.lemma));
        }
        let cards: Vec<Card> = words.iter().map(|w| card(w.word_id)).collect();
        let m = material(&words);
        let questions = build_questions(&cards, &m, &[QuestionKind::Listening], 3);
        assert_eq!(questions.len(), words.len(), "every word with audio");
        for (q, w) in questions.iter().zip(&words) {
            let Prompt::Listening { audio_url, options } = &q.prompt else {
                panic!("kind");
            };
            assert_eq!(audio_url, &format!("/api/v1/audio/{}", w.lemma));
            assert_eq!(
                q.expected,
                Expected::Text {
                    answer: w.lemma.clone()
                }
            );
            // The lone verb has no distractors of its part of speech: typed, not chosen.
            if w.part_of_speech == "verb" {
                assert!(options.is_empty());
            } else {
                assert_eq!(options.len(), OPTIONS);
                assert!(options.contains(&w.lemma));
            }
        }
        for w in &mut words {
            w.audio_url = None;
        }
        let m = material(&words);
        assert!(build_questions(&cards, &m, &[QuestionKind::Listening], 3).is_empty());
        assert_eq!(
            why_empty(&cards, &m, &[QuestionKind::Listening]),
            Unbuildable::NoAudio
        );
    }

    #[test]
    fn prompts_never_reveal_a_typed_answer() {
        let words = nouns();
        let cards: Vec<Card> = words.iter().map(|w| card(w.word_id)).collect();
        for q in build_questions(&cards, &material(&words), &[QuestionKind::Typing], 1) {
            let json = serde_json::to_string(&q.prompt).expect("json");
            let Expected::Text { answer } = &q.expected else {
                panic!("expected");
            };
            assert!(!json.contains(answer.as_str()), "{json}");
        }
    }
}
