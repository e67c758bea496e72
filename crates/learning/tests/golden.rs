//! Golden vectors generated from py-fsrs 6.3.2 (`tests/golden/generate.py`): same state and step,
//! stability and difficulty within 1e-3 relative, due to the second.

use lingo_learning::replay::{ReplayCard, ReplayInput, run};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    name: String,
    #[serde(flatten)]
    input: serde_json::Value,
    expected: Vec<ReplayCard>,
}

/// The `fsrs` crate caps stability at 36,500 days (py-fsrs does not); intervals agree because
/// they are clamped to the maximum interval anyway.
const STABILITY_CAP: f64 = 36_500.0;

fn close(actual: f64, expected: f64) -> bool {
    if expected > STABILITY_CAP {
        return (actual - STABILITY_CAP).abs() < 1.0;
    }
    (actual - expected).abs() <= 1e-3 * expected.abs().max(1e-9)
}

#[test]
fn every_golden_scenario_matches_py_fsrs() {
    let vectors: Vectors =
        serde_json::from_str(include_str!("golden/vectors.json")).expect("vectors parse");
    assert!(vectors.scenarios.len() >= 30);
    let mut compared = 0;
    let mut failures = Vec::new();
    for scenario in &vectors.scenarios {
        let mut input = scenario.input.clone();
        input.as_object_mut().expect("object").remove("name");
        let input: ReplayInput = serde_json::from_value(input).expect("replay input");
        let actual = run(&input).expect("replays");
        assert_eq!(actual.len(), scenario.expected.len(), "{}", scenario.name);
        for (i, (a, e)) in actual.iter().zip(&scenario.expected).enumerate() {
            // py-fsrs writes `Learning`; we write `learning`.
            let ok = a.state.eq_ignore_ascii_case(&e.state)
                && a.step == e.step
                && a.due == e.due
                && a.last_review == e.last_review
                && close(a.stability, e.stability)
                && close(a.difficulty, e.difficulty);
            compared += 1;
            if !ok {
                failures.push(format!(
                    "{} / review {}:\n  got  {a:?}\n  want {e:?}",
                    scenario.name,
                    i + 1
                ));
                break;
            }
        }
    }
    assert_eq!(compared, 298, "every review of every scenario was compared");
    assert!(
        failures.is_empty(),
        "{} scenario(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
