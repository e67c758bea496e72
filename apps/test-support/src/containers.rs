//! Stores in Docker containers, for machines with a Docker engine and no local stores
//! (feature `testcontainers`). The containers start once per test process and live as long as
//! it; testcontainers' reaper removes them afterwards.

use testcontainers_modules::mongo::Mongo;
use testcontainers_modules::postgres::Postgres;
use testcontainers_modules::redis::Redis;
use testcontainers_modules::testcontainers::runners::AsyncRunner;
use testcontainers_modules::testcontainers::{ContainerAsync, Image};
use tokio::sync::OnceCell;

struct Running {
    _postgres: ContainerAsync<Postgres>,
    _mongo: ContainerAsync<Mongo>,
    _redis: ContainerAsync<Redis>,
    urls: Vec<(&'static str, String)>,
}

static STORES: OnceCell<Running> = OnceCell::const_new();

async fn port<I: Image>(container: &ContainerAsync<I>, internal: u16) -> u16 {
    container
        .get_host_port_ipv4(internal)
        .await
        .expect("container port")
}

/// `LINGO_…_URL` values of stores started in containers.
pub async fn urls() -> Vec<(&'static str, String)> {
    STORES
        .get_or_init(|| async {
            let postgres = Postgres::default()
                .start()
                .await
                .expect("postgres container");
            let mongo = Mongo::default().start().await.expect("mongo container");
            let redis = Redis::default().start().await.expect("redis container");
            let urls = vec![
                (
                    "LINGO_DATABASE_URL",
                    format!(
                        "postgres://postgres:postgres@127.0.0.1:{}/postgres",
                        port(&postgres, 5432).await
                    ),
                ),
                (
                    "LINGO_MONGO_URL",
                    format!("mongodb://127.0.0.1:{}", port(&mongo, 27017).await),
                ),
                (
                    "LINGO_REDIS_URL",
                    format!("redis://127.0.0.1:{}/0", port(&redis, 6379).await),
                ),
            ];
            Running {
                _postgres: postgres,
                _mongo: mongo,
                _redis: redis,
                urls,
            }
        })
        .await
        .urls
        .clone()
}
