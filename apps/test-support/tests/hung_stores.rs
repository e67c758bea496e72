//! Bounded waits against hung stores: a statement past `statement_timeout`, a lock held past
//! `lock_timeout`, and PostgreSQL, MongoDB and Redis that stop answering mid-conversation (a
//! proxy that stops forwarding, as a SIGSTOPped server does: the connection stays open and the
//! kernel keeps accepting bytes). Each call fails within a few seconds, and the same handles
//! work again once the store answers.

use diesel_async::SimpleAsyncConnection;
use lingo_dictionary::ports::EntryStore;
use lingo_kernel::LanguageCode;
use lingo_kernel::cache::Cache;
use lingo_mongo::{MongoEntryStore, MongoSettings, MongoStore};
use lingo_postgres::PoolSettings;
use lingo_redis::RedisSettings;
use lingo_test_support::TestStores;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards TCP to `upstream` until frozen; while frozen it holds what it reads.
struct FreezingProxy {
    port: u16,
    frozen: Arc<AtomicBool>,
}

impl FreezingProxy {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let frozen = Arc::new(AtomicBool::new(false));
        let flag = frozen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    continue;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(pump(client_read, server_write, flag.clone()));
                tokio::spawn(pump(server_read, client_write, flag.clone()));
            }
        });
        Self { port, frozen }
    }

    fn freeze(&self, frozen: bool) {
        self.frozen.store(frozen, Ordering::SeqCst);
    }

    /// `url` with its `host:port` replaced by the proxy's.
    fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (userinfo, hostpart) = match rest.rsplit_once('@') {
            Some((user, hostpart)) => (format!("{user}@"), hostpart),
            None => (String::new(), rest),
        };
        let tail = hostpart.find(['/', '?']).map_or("", |i| &hostpart[i..]);
        format!("{scheme}://{userinfo}127.0.0.1:{}{tail}", self.port)
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    frozen: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        while frozen.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// `host:port` of a store URL.
fn host_port(url: &str, default_port: u16) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let hostpart = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let end = hostpart.find(['/', '?', ',']).unwrap_or(hostpart.len());
    let hostport = &hostpart[..end];
    if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:{default_port}")
    }
}

async fn timed<T>(call: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let out = call.await;
    (out, started.elapsed())
}

fn pool_settings(url: String) -> PoolSettings {
    PoolSettings {
        url,
        max_size: 2,
        acquire_timeout: Duration::from_secs(1),
        statement_timeout: Duration::from_millis(1_000),
        lock_timeout: Duration::from_millis(500),
    }
}

async fn select_one(pool: &lingo_postgres::PgPool) -> Result<(), String> {
    use diesel_async::RunQueryDsl;
    let mut conn = pool.get().await.map_err(|e| e.to_string())?;
    diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_statement_past_the_statement_timeout_fails_within_it() {
    use diesel_async::RunQueryDsl;
    let t = TestStores::new(&[("LINGO_DATABASE_STATEMENT_TIMEOUT_MS", "1000")]).await;
    let mut conn = t.stores.postgres.get().await.expect("connection");
    let (result, took) = timed(diesel::sql_query("SELECT pg_sleep(30)").execute(&mut conn)).await;
    let error = result.expect_err("cancelled by the server").to_string();
    assert!(error.contains("statement timeout"), "{error}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    // the session is still usable
    diesel::sql_query("SELECT 1")
        .execute(&mut conn)
        .await
        .expect("usable after the cancel");
}

#[tokio::test]
async fn a_lock_held_by_a_stuck_transaction_fails_after_the_lock_timeout() {
    use diesel_async::RunQueryDsl;
    let t = TestStores::new(&[("LINGO_DATABASE_LOCK_TIMEOUT_MS", "500")]).await;
    let mut holder = t.stores.postgres.get().await.expect("connection");
    holder
        .batch_execute("CREATE TABLE held (id int)")
        .await
        .expect("table");
    holder
        .batch_execute("BEGIN; LOCK TABLE held")
        .await
        .expect("lock held");
    let mut waiter = t.stores.postgres.get().await.expect("connection");
    let (result, took) = timed(diesel::sql_query("SELECT * FROM held").execute(&mut waiter)).await;
    let error = result.expect_err("gave up waiting").to_string();
    assert!(error.contains("lock timeout"), "{error}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    holder.batch_execute("ROLLBACK").await.expect("released");
}

#[tokio::test]
async fn a_postgres_that_stops_answering_mid_query_fails_the_query_and_recovers() {
    let t = TestStores::new(&[]).await;
    let url = &t.config.database.url;
    let proxy = FreezingProxy::start(host_port(url, 5432)).await;
    let pool = lingo_postgres::connect(&pool_settings(proxy.url(url))).expect("pool");
    select_one(&pool).await.expect("answers through the proxy");

    let mut held = pool
        .get()
        .await
        .expect("a connection taken before the hang");

    proxy.freeze(true);
    // a query on a connection already checked out: only the answer deadline ends it
    // (1 s statement timeout + half + 1 s)
    let (result, took) = timed(async {
        use diesel_async::RunQueryDsl;
        diesel::sql_query("SELECT 1").execute(&mut held).await
    })
    .await;
    assert!(result.is_err(), "a hung server is an error, not a wait");
    assert!(took >= Duration::from_millis(2_400), "took {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    drop(held);
    let (result, took) = timed(select_one(&pool)).await;
    assert!(result.is_err(), "new callers fail too");
    assert!(took < Duration::from_secs(5), "took {took:?}");

    proxy.freeze(false);
    lingo_test_support::eventually("the pool answers again", || async {
        select_one(&pool).await.ok()
    })
    .await;
}

#[tokio::test]
async fn a_mongodb_that_stops_answering_fails_each_operation_and_recovers() {
    let t = TestStores::new(&[]).await;
    let proxy = FreezingProxy::start(host_port(&t.config.mongo.url, 27017)).await;
    let mut url = proxy.url(&t.config.mongo.url);
    // one server, reached directly through the proxy (no replica-set discovery)
    url.push_str(if url.contains('?') { "&" } else { "?" });
    url.push_str("directConnection=true");
    let store = MongoStore::connect(&MongoSettings {
        url,
        database: t.config.mongo.database.clone(),
        timeout: Duration::from_millis(500),
        operation_timeout: Duration::from_secs(1),
        bulk_timeout: Duration::from_secs(2),
        app_name: "hung-store-test".into(),
    })
    .await
    .expect("settings");
    let entries = MongoEntryStore::new(&store);
    let english = LanguageCode::english();
    let house = ["house".to_owned()];
    let lookup = || entries.entries(&english, &house);
    lookup().await.expect("answers through the proxy");

    proxy.freeze(true);
    let (result, took) = timed(lookup()).await;
    assert!(result.is_err(), "a hung server is an error, not a wait");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let (result, took) = timed(store.ping()).await;
    assert!(result.is_err());
    assert!(took < Duration::from_secs(3), "took {took:?}");

    proxy.freeze(false);
    lingo_test_support::eventually("MongoDB answers again", || async { lookup().await.ok() }).await;
}

#[tokio::test]
async fn a_redis_that_stops_answering_fails_each_command_and_recovers() {
    let t = TestStores::new(&[]).await;
    let proxy = FreezingProxy::start(host_port(&t.config.redis.url, 6379)).await;
    let settings = RedisSettings {
        url: proxy.url(&t.config.redis.url),
        key_prefix: t.prefix().to_owned(),
        command_timeout: Duration::from_millis(500),
        pool_size: 2,
    };
    let cache = lingo_redis::RedisCache::new(
        lingo_redis::connect_pool(&settings).expect("pool"),
        t.prefix(),
    );
    let fred = lingo_redis::connect_fred(&settings).expect("client");
    let fred_ping = || async {
        use fred::prelude::ClientLike;
        fred.ping::<String>(None).await
    };
    lingo_test_support::eventually("Redis answers through the proxy", || async {
        (cache.get("k").await.is_ok() && fred_ping().await.is_ok()).then_some(())
    })
    .await;

    proxy.freeze(true);
    let (result, took) = timed(cache.get("k")).await;
    assert!(result.is_err(), "the cache fails instead of waiting");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let (result, took) = timed(fred_ping()).await;
    assert!(
        result.is_err(),
        "the queue's client fails instead of waiting"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");

    proxy.freeze(false);
    lingo_test_support::eventually("Redis answers again", || async {
        (cache.get("k").await.is_ok() && fred_ping().await.is_ok()).then_some(())
    })
    .await;
}
