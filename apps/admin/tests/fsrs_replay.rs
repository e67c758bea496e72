//! `lingo-admin fsrs replay` as a user runs it: JSON in on stdin, JSON out, no stores needed.

use std::io::Write;
use std::process::{Command, Stdio};

fn replay(input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lingo-admin"))
        .args(["fsrs", "replay"])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lingo-admin starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    child.wait_with_output().expect("finished")
}

#[test]
fn a_scenario_replays_to_the_card_after_each_review() {
    let input = r#"{"scheduler": {"parameters": [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
        0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
        0.0912, 0.0658, 0.1542], "desired_retention": 0.9, "learning_steps": [60, 600],
        "relearning_steps": [600], "maximum_interval": 36500, "enable_fuzzing": false},
        "reviews": [{"review_datetime": "2024-01-01T09:00:00Z", "rating": 3},
                    {"review_datetime": "2024-01-01T09:01:00Z", "rating": 3},
                    {"review_datetime": "2024-01-01T09:11:00Z", "rating": 3}]}"#;
    let output = replay(input);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cards: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let cards = cards.as_array().expect("array");
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[0]["state"], "learning");
    assert_eq!(cards[0]["step"], 1);
    assert_eq!(cards[0]["due"], "2024-01-01T09:10:00Z");
    assert!((cards[0]["stability"].as_f64().expect("number") - 2.3065).abs() < 1e-3);
    assert_eq!(cards[2]["state"], "review");
    assert_eq!(cards[2]["step"], serde_json::Value::Null);
    assert_eq!(cards[2]["last_review"], "2024-01-01T09:11:00Z");
}

#[test]
fn malformed_input_is_a_clear_error_not_a_panic() {
    for input in [
        "{",
        r#"{"scheduler": {}, "reviews": []}"#,
        r#"{"scheduler": {"parameters": [1], "desired_retention": 0.9, "learning_steps": [], "relearning_steps": [], "maximum_interval": 10, "enable_fuzzing": false}, "reviews": [{"review_datetime": "2024-01-01T09:00:00Z", "rating": 3}]}"#,
    ] {
        let output = replay(input);
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.is_empty());
    }
    let bad_rating = replay(
        r#"{"scheduler": {"parameters": [], "desired_retention": 0.9, "learning_steps": [], "relearning_steps": [], "maximum_interval": 10, "enable_fuzzing": false}, "reviews": [{"review_datetime": "2024-01-01T09:00:00Z", "rating": 7}]}"#,
    );
    assert!(String::from_utf8_lossy(&bad_rating.stderr).contains("rating"));
}
