//! `lingo-admin users …` against this test's stores: each change lands, is audited as the
//! console operator, and an unknown account is a clear error.

use lingo_test_support::TestApp;
use std::process::Command;

fn admin(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lingo-admin"))
        .args(args)
        .envs(app.stores.child_env())
        .env("LINGO_ENV", "development")
        .output()
        .expect("lingo-admin runs")
}

#[tokio::test]
async fn the_console_disables_enables_and_promotes_accounts_by_email_or_id() {
    let app = TestApp::spawn().await;
    let sara = app.register_learner("sara@example.com").await;
    let run = |args: &[&str]| {
        let output = admin(&app, args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Log lines may share stdout; the answer is the last line.
        let stdout = String::from_utf8_lossy(&output.stdout);
        let last = stdout.lines().last().expect("an answer");
        serde_json::from_str::<serde_json::Value>(last).expect("json")
    };
    let id = sara.id.to_string();
    let disabled = run(&["users", "--operator", "ops", "disable", "sara@example.com"]);
    assert_eq!(disabled["status"], "disabled");
    assert_eq!(app.get_with(&sara.token, "/api/v1/decks").await.0, 401);
    assert_eq!(run(&["users", "enable", &id])["status"], "active");
    assert_eq!(run(&["users", "grant-admin", &id])["role"], "admin");
    assert_eq!(
        run(&["users", "revoke-admin", "sara@example.com"])["role"],
        "learner"
    );

    let root = app
        .token(lingo_kernel::UserId::new(), lingo_users::Role::Admin)
        .await;
    let (status, audit) = app
        .get_with(&root, &format!("/api/v1/admin/users/{id}/audit"))
        .await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["revoke_admin", "grant_admin", "enable", "disable"]
    );
    assert_eq!(audit["items"][3]["actor"], "cli:ops");

    let unknown = admin(&app, &["users", "disable", "nobody@example.com"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no such account"));
}
