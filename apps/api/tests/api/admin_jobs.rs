use lingo_kernel::UserId;
use lingo_kernel::jobs::{JobQueue, JobStatus, NewJob};
use lingo_test_support::TestApp;
use lingo_users::Role;
use lingo_worker::jobs::{JobDeps, registry};
use lingo_worker::{Worker, WorkerSettings};
use std::sync::Arc;
use std::time::Duration;

pub struct RunningWorker {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningWorker {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("worker stopped");
    }
}

pub fn start_worker(app: &TestApp) -> RunningWorker {
    let mut deps = JobDeps::new(&app.stores.stores, Duration::from_secs(3600));
    // Imports read only inside the app's import roots, as the worker's do, not the defaults'.
    deps.import = app.services.job_deps.import.clone();
    start_worker_with(app, deps)
}

pub fn start_worker_with(app: &TestApp, deps: JobDeps) -> RunningWorker {
    let queue = app.stores.stores.jobs.clone();
    let settings = WorkerSettings {
        name: "api-test".into(),
        concurrency: 2,
        retry: Default::default(),
        retry_window: Duration::ZERO,
        poll_block: Duration::from_millis(200),
        heartbeat_every: Duration::from_secs(5),
        shutdown_grace: Duration::from_secs(1),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(Worker::new(Arc::new(queue), registry(deps), settings).run(
        async move {
            let _ = stopped.await;
        },
    ));
    RunningWorker { stop, task }
}

/// Enqueues `job` (as the scheduler would) and waits until `token`'s view of it has ended.
pub async fn run_job<J: lingo_kernel::jobs::Job>(
    app: &TestApp,
    token: &str,
    job: &J,
) -> serde_json::Value {
    use lingo_kernel::jobs::JobQueue;
    let job = lingo_kernel::jobs::NewJob::of(job).expect("job");
    let id = job.id;
    app.services
        .job_deps
        .jobs
        .enqueue(job)
        .await
        .expect("enqueued");
    app.wait_for_job(token, &format!("/api/v1/jobs/{id}")).await
}

#[tokio::test]
async fn an_enqueued_job_is_run_by_the_worker_and_its_status_followed_by_its_owner() {
    let app = TestApp::spawn().await;
    let admin = app.token(UserId::new(), Role::Admin).await;
    let response = app
        .post_json_as(
            "/api/v1/admin/jobs/echo",
            &admin,
            &serde_json::json!({"message": "سلام"}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status_url"], location.as_str());
    let queued: serde_json::Value = app
        .get_as(&location, &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(queued["status"], "queued");

    let worker = start_worker(&app);
    let done = app
        .wait_for_job_status(&admin, &location, "succeeded")
        .await;
    assert_eq!(done["result"]["echo"], "سلام");
    assert_eq!(done["attempts"], 1);
    worker.stop().await;
}

#[tokio::test]
async fn learners_get_403_on_admin_routes() {
    let app = TestApp::spawn().await;
    let learner = app.token(UserId::new(), Role::Learner).await;
    let response = app.get_as("/api/v1/admin/jobs/dead", &learner).await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = app
        .post_json_as(
            "/api/v1/admin/jobs/echo",
            &learner,
            &serde_json::json!({"message": "hi"}),
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn bad_bodies_get_400_413_and_422_problems() {
    let app = TestApp::spawn_with(&[("LINGO_HTTP_BODY_LIMIT_BYTES", "1024")]).await;
    let admin = app.token(UserId::new(), Role::Admin).await;
    let post = |body: String| {
        app.client
            .post(app.url("/api/v1/admin/jobs/echo"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let malformed = post("{\"message\": ".into()).await.expect("sent");
    assert_eq!(malformed.status(), 400);
    let body: serde_json::Value = malformed.json().await.expect("json");
    assert!(
        body["detail"]
            .as_str()
            .expect("detail")
            .starts_with("malformed JSON")
    );

    let huge = serde_json::json!({"message": "x".repeat(4096)}).to_string();
    let too_large = post(huge).await.expect("sent");
    assert_eq!(too_large.status(), 413);
    assert_eq!(
        too_large.headers()["content-type"],
        "application/problem+json"
    );

    let invalid = post(r#"{"message": "", "delay_ms": 999999999}"#.into())
        .await
        .expect("sent");
    assert_eq!(invalid.status(), 422);
    let body: serde_json::Value = invalid.json().await.expect("json");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["delay_ms", "message"]);
    assert_eq!(
        app.stores.stores.queue.stats().await.expect("stats").ready,
        0
    );
}

#[tokio::test]
async fn admins_list_and_requeue_dead_jobs() {
    let app = TestApp::spawn().await;
    let admin_id = UserId::new();
    let admin = app.token(admin_id, Role::Admin).await;
    let queue = &app.stores.stores.jobs;
    // A payload no handler can read fails for good.
    let job = NewJob {
        payload: serde_json::json!({"message": 42}),
        ..NewJob::of(&lingo_worker::jobs::SystemEcho {
            message: "unreadable".into(),
            delay_ms: 0,
        })
        .expect("job")
        .owned_by(admin_id)
    };
    queue.enqueue(job.clone()).await.expect("enqueued");
    let worker = start_worker(&app);
    let url = format!("/api/v1/jobs/{}", job.id);
    app.wait_for_job_status(&admin, &url, "failed").await;
    worker.stop().await;

    let dead: serde_json::Value = app
        .get_as("/api/v1/admin/jobs/dead", &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(dead["items"][0]["job_id"], job.id.to_string());
    assert!(
        dead["items"][0]["reason"]
            .as_str()
            .expect("reason")
            .starts_with("invalid payload for 'system.echo'"),
        "{dead}"
    );

    let requeue = |id: String| {
        app.client
            .post(app.url(&format!("/api/v1/admin/jobs/dead/{id}/requeue")))
            .bearer_auth(&admin)
            .send()
    };
    assert_eq!(
        requeue(job.id.to_string()).await.expect("sent").status(),
        204
    );
    assert_eq!(
        requeue(job.id.to_string()).await.expect("sent").status(),
        404
    );
    let record = queue.status(job.id).await.expect("status").expect("exists");
    assert_eq!(record.status, JobStatus::Queued);
    assert_eq!(record.attempts, 0);
}
