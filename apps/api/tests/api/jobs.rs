use lingo_kernel::UserId;
use lingo_kernel::jobs::{JobQueue, NewJob};
use lingo_test_support::TestApp;
use lingo_users::Role;

fn echo_job(owner: UserId) -> NewJob {
    NewJob {
        id: lingo_kernel::jobs::JobId::new(),
        kind: "system.echo".to_owned(),
        payload: serde_json::json!({"message": "hi"}),
        owner: Some(owner),
        max_attempts: 3,
        trace: Default::default(),
    }
    .owned_by(owner)
}

#[tokio::test]
async fn the_owner_sees_a_queued_job() {
    let app = TestApp::spawn().await;
    let owner = UserId::new();
    let job = echo_job(owner);
    app.stores
        .stores
        .queue
        .enqueue(job.clone())
        .await
        .expect("enqueued");
    let response = app
        .get_as(
            &format!("/api/v1/jobs/{}", job.id),
            &app.token(owner, Role::Learner).await,
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "queued");
    assert_eq!(body["type"], "system.echo");
    assert_eq!(body["attempts"], 0);
}

#[tokio::test]
async fn another_users_job_is_404_not_403() {
    let app = TestApp::spawn().await;
    let job = echo_job(UserId::new());
    app.stores
        .stores
        .queue
        .enqueue(job.clone())
        .await
        .expect("enqueued");
    let stranger = app.token(UserId::new(), Role::Learner).await;
    let response = app
        .get_as(&format!("/api/v1/jobs/{}", job.id), &stranger)
        .await;
    assert_eq!(response.status(), 404);
    let missing = app
        .get_as(
            &format!("/api/v1/jobs/{}", lingo_kernel::jobs::JobId::new()),
            &stranger,
        )
        .await;
    assert_eq!(missing.status(), 404);
    let garbage = app.get_as("/api/v1/jobs/not-a-uuid", &stranger).await;
    assert_eq!(garbage.status(), 404);
}

#[tokio::test]
async fn job_status_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    let path = format!("/api/v1/jobs/{}", lingo_kernel::jobs::JobId::new());
    let anonymous = app.get(&path).await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    let forged = app.get_as(&path, "eyJhbGciOiJub25lIn0.e30.").await;
    assert_eq!(forged.status(), 401);
    assert_eq!(forged.headers()["content-type"], "application/problem+json");
}
