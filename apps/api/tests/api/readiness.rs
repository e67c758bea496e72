//! Readiness follows a store going down and coming back, with no restart of the api. Each test
//! runs its own redis-server on a free port, so stopping it disturbs nobody else.

use lingo_test_support::TestApp;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

fn start_redis(port: u16) -> Child {
    Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on PATH (installed by `just test`)")
}

async fn ready_status(app: &TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/api/v1/ready").await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn wait_for(app: &TestApp, wanted: u16) -> serde_json::Value {
    for _ in 0..60 {
        let (status, body) = ready_status(app).await;
        if status == wanted {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("ready never answered {wanted}");
}

#[tokio::test]
async fn ready_flips_to_503_naming_redis_and_back_when_redis_returns() {
    let port = free_port();
    let mut redis = start_redis(port);
    let url = format!("redis://127.0.0.1:{port}/0");
    let app =
        TestApp::spawn_with(&[("LINGO_REDIS_URL", &url), ("LINGO_REDIS_TIMEOUT_MS", "500")]).await;
    wait_for(&app, 200).await;

    redis.kill().expect("stop redis");
    redis.wait().expect("reaped");
    let body = wait_for(&app, 503).await;
    assert_eq!(body["failing"], serde_json::json!(["redis"]));
    assert!(body["detail"].as_str().expect("detail").contains("redis"));
    assert_eq!(app.get("/api/v1/health").await.status(), 200);

    let mut redis = start_redis(port);
    wait_for(&app, 200).await;
    redis.kill().expect("stop redis");
    let _ = redis.wait();
}

#[tokio::test]
async fn with_redis_down_jobs_are_recorded_and_followed_in_the_ledger() {
    // Redis unreachable: a job is still accepted (the ledger holds it), its status comes from
    // the ledger, an unknown job is a 404 problem, and the process goes on.
    let down = TestApp::spawn_with(&[
        (
            "LINGO_REDIS_URL",
            &format!("redis://127.0.0.1:{}/0", free_port()),
        ),
        ("LINGO_REDIS_TIMEOUT_MS", "300"),
    ])
    .await;
    use lingo_kernel::jobs::JobQueue;
    let learner = lingo_kernel::UserId::new();
    let token = down.token(learner, lingo_users::Role::Learner).await;
    let job = lingo_kernel::jobs::NewJob::of(&lingo_kernel::jobs::system::SystemEcho {
        message: "kept".into(),
        delay_ms: 0,
    })
    .expect("job")
    .owned_by(learner);
    down.stores
        .stores
        .jobs
        .enqueue(job.clone())
        .await
        .expect("accepted with Redis down");
    let response = down
        .get_as(&format!("/api/v1/jobs/{}", job.id), &token)
        .await;
    assert_eq!(response.status(), 200);
    let record: serde_json::Value = response.json().await.expect("json");
    assert_eq!(record["status"], "queued");
    let response = down
        .get_as(
            &format!("/api/v1/jobs/{}", lingo_kernel::jobs::JobId::new()),
            &token,
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let (status, body) = ready_status(&down).await;
    assert_eq!(status, 503);
    assert_eq!(body["failing"], serde_json::json!(["redis"]));
    assert_eq!(down.get("/api/v1/health").await.status(), 200);
}
