//! Old apps are told to update; requests without a version are served.

use lingo_kernel::UserId;
use lingo_test_support::{TestApp, json_of};
use lingo_users::Role;

async fn get_with_version(app: &TestApp, version: Option<&str>) -> reqwest::Response {
    let token = app.token(UserId::new(), Role::Learner).await;
    let mut request = app.client.get(app.url("/api/v1/me")).bearer_auth(token);
    if let Some(version) = version {
        request = request.header("x-client-version", version);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn an_app_older_than_the_minimum_gets_426_with_its_own_problem_type() {
    let app = TestApp::spawn_with(&[("LINGO_MIN_CLIENT_VERSION", "2.3.0")]).await;
    let (status, problem) = json_of(get_with_version(&app, Some("2.2.9")).await).await;
    assert_eq!(status, 426, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:client-update-required");
    assert_eq!(problem["min_version"], "2.3.0");
    for served in [Some("2.3.0"), Some("2.10"), None] {
        assert_eq!(
            get_with_version(&app, served).await.status(),
            200,
            "{served:?}"
        );
    }
}

#[tokio::test]
async fn a_version_that_is_not_one_is_a_400() {
    let app = TestApp::spawn().await;
    let (status, problem) = json_of(get_with_version(&app, Some("latest")).await).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["type"], "urn:lingo:problem:client-version-invalid");
    assert_eq!(
        get_with_version(&app, Some("0.0.1")).await.status(),
        200,
        "no minimum configured"
    );
}

#[tokio::test]
async fn an_invalid_minimum_stops_the_configuration() {
    let error =
        lingo_bootstrap::Config::from_source(&lingo_bootstrap::config::EnvSource::from_pairs([(
            "LINGO_MIN_CLIENT_VERSION".to_owned(),
            "two".to_owned(),
        )]))
        .expect_err("refused");
    assert!(
        error.to_string().contains("LINGO_MIN_CLIENT_VERSION"),
        "{error}"
    );
}
