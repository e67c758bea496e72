//! Stores in Docker containers started with testcontainers (feature `testcontainers`), from the
//! images built here with no registry (`deploy/images/build.sh stores`) unless told otherwise:
//!
//! | variable | default |
//! |---|---|
//! | `LINGO_IMAGE_POSTGRES` | `lingo/postgres:local` |
//! | `LINGO_IMAGE_REDIS` | `lingo/redis:local` |
//! | `LINGO_IMAGE_MONGO` | `lingo/secantusdb:local` |
//! | `LINGO_TEST_CONTAINERS_SESSION` | `default` |
//!
//! nextest runs every test in its own process, so the containers are shared across processes:
//! each is named `lingo-test-<store>-<session>` and started with reuse, so the first process
//! creates it and the others find it (a process that loses the race to create it finds the
//! winner's). They outlive the tests; `just test-containers` starts them once before the run
//! (`lingo-test-containers up`) and removes them after it (label
//! `org.lingo.test-session=<session>`). Every process waits until each store answers its own
//! protocol (a published port accepts connections before the server inside listens).

use std::time::{Duration, Instant};
use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt, ReuseDirective};
use tokio::sync::OnceCell;

/// The label every container of a session carries (`docker rm -f $(docker ps -aq --filter …)`).
pub const SESSION_LABEL: &str = "org.lingo.test-session";
const POSTGRES_PASSWORD: &str = "postgres";

static URLS: OnceCell<Vec<(&'static str, String)>> = OnceCell::const_new();

fn var(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// `name:tag` → (`name`, `tag`); the tag defaults to `latest`. A registry port (`host:5000/x`)
/// is not a tag.
fn split_image(image: &str) -> (String, String) {
    match image.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name.to_owned(), tag.to_owned()),
        _ => (image.to_owned(), "latest".to_owned()),
    }
}

fn session() -> String {
    var("LINGO_TEST_CONTAINERS_SESSION", "default")
}

struct Store {
    kind: &'static str,
    image: String,
    port: u16,
    env: Vec<(&'static str, &'static str)>,
    cmd: Vec<&'static str>,
}

fn stores() -> [Store; 3] {
    [
        Store {
            kind: "postgres",
            image: var("LINGO_IMAGE_POSTGRES", "lingo/postgres:local"),
            port: 5432,
            env: vec![
                ("POSTGRES_USER", "postgres"),
                ("POSTGRES_PASSWORD", POSTGRES_PASSWORD),
                ("POSTGRES_DB", "postgres"),
            ],
            // tests create and drop hundreds of databases: durability is not what they test
            cmd: vec!["-c", "fsync=off", "-c", "max_connections=400"],
        },
        Store {
            kind: "redis",
            image: var("LINGO_IMAGE_REDIS", "lingo/redis:local"),
            port: 6379,
            env: vec![],
            cmd: vec![
                "redis-server",
                "--appendonly",
                "yes",
                "--maxmemory-policy",
                "noeviction",
            ],
        },
        Store {
            kind: "mongo",
            image: var("LINGO_IMAGE_MONGO", "lingo/secantusdb:local"),
            port: 27017,
            env: vec![],
            cmd: vec![],
        },
    ]
}

/// Starts the store's container, or finds the one another process of the session started.
async fn start(store: &Store) -> ContainerAsync<GenericImage> {
    let (name, tag) = split_image(&store.image);
    let container_name = format!("lingo-test-{}-{}", store.kind, session());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut request = GenericImage::new(name.clone(), tag.clone())
            .with_exposed_port(store.port.tcp())
            .with_wait_for(WaitFor::Nothing)
            .with_container_name(container_name.clone())
            .with_label(SESSION_LABEL, session())
            .with_reuse(ReuseDirective::Always);
        for (k, v) in &store.env {
            request = request.with_env_var(*k, *v);
        }
        if !store.cmd.is_empty() {
            request = request.with_cmd(store.cmd.iter().copied());
        }
        match request.start().await {
            Ok(container) => return container,
            // another test process created it between our look-up and our create
            Err(error) if Instant::now() < deadline => {
                eprintln!("{container_name}: {error}; looking again");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => panic!(
                "cannot start {container_name} from {} ({error}); build the images with \
                 `deploy/images/build.sh stores` or set LINGO_IMAGE_{}",
                store.image,
                store.kind.to_uppercase()
            ),
        }
    }
}

async fn host_port(container: &ContainerAsync<GenericImage>, port: u16) -> u16 {
    container
        .get_host_port_ipv4(port.tcp())
        .await
        .expect("published container port")
}

/// Polls `probe` until it succeeds, for up to two minutes.
async fn wait_for<F, Fut, E>(what: &str, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let error = match tokio::time::timeout(Duration::from_secs(3), probe()).await {
            Ok(Ok(())) => return,
            Ok(Err(e)) => e.to_string(),
            Err(_) => "no answer within 3 s".to_owned(),
        };
        if Instant::now() > deadline {
            panic!("{what} did not answer within 120 s: {error}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn postgres_answers(url: &str) -> Result<(), diesel::ConnectionError> {
    use diesel_async::{AsyncConnection, AsyncPgConnection};
    AsyncPgConnection::establish(url).await.map(drop)
}

async fn redis_answers(url: &str) -> Result<(), String> {
    let client = deadpool_redis::redis::Client::open(url).map_err(|e| e.to_string())?;
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .map_err(|e| e.to_string())?;
    let pong: String = deadpool_redis::redis::cmd("PING")
        .query_async(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    if pong == "PONG" {
        Ok(())
    } else {
        Err(format!("unexpected PING answer {pong:?}"))
    }
}

async fn mongo_answers(url: &str) -> Result<(), mongodb::error::Error> {
    let options = mongodb::options::ClientOptions::parse(url).await?;
    let client = mongodb::Client::with_options(options)?;
    client
        .database("admin")
        .run_command(mongodb::bson::doc! { "ping": 1 })
        .await
        .map(drop)
}

/// `LINGO_…_URL` values of the session's stores, started (or found) and answering.
pub async fn urls() -> Vec<(&'static str, String)> {
    URLS.get_or_init(|| async {
        let [postgres, redis, mongo] = stores();
        let (pg, rd, mg) = tokio::join!(start(&postgres), start(&redis), start(&mongo));
        let database_url = format!(
            "postgres://postgres:{POSTGRES_PASSWORD}@127.0.0.1:{}/postgres",
            host_port(&pg, 5432).await
        );
        let redis_url = format!("redis://127.0.0.1:{}/0", host_port(&rd, 6379).await);
        let mongo_url = format!(
            "mongodb://127.0.0.1:{}/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000",
            host_port(&mg, 27017).await
        );
        tokio::join!(
            wait_for("PostgreSQL container", || postgres_answers(&database_url)),
            wait_for("Redis container", || redis_answers(&redis_url)),
            wait_for("MongoDB-wire container", || mongo_answers(&mongo_url)),
        );
        // reused containers outlive this process: dropping the handles leaves them running
        vec![
            ("LINGO_DATABASE_URL", database_url),
            ("LINGO_REDIS_URL", redis_url),
            ("LINGO_MONGO_URL", mongo_url),
        ]
    })
    .await
    .clone()
}

#[cfg(test)]
mod tests {
    use super::split_image;

    #[test]
    fn an_image_reference_splits_into_name_and_tag() {
        assert_eq!(
            split_image("lingo/postgres:local"),
            ("lingo/postgres".into(), "local".into())
        );
        assert_eq!(split_image("redis"), ("redis".into(), "latest".into()));
        assert_eq!(
            split_image("registry:5000/lingo/redis"),
            ("registry:5000/lingo/redis".into(), "latest".into())
        );
    }
}
