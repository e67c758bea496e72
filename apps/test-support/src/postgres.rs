//! Per-test databases from a migrated template (the crates.io approach): migrate the template
//! once, `CREATE DATABASE … TEMPLATE …` per test (tens of milliseconds), `DROP … WITH (FORCE)`
//! at the end. Test processes run in parallel; an advisory lock serialises template upkeep.

use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use std::time::Duration;

/// The template of this checkout's migrations: another checkout (a worktree, a CI clone) with
/// other migrations on the same server gets its own.
fn template() -> String {
    format!(
        "lingo_test_template_{}",
        lingo_postgres::migrations_fingerprint()
    )
}
const LOCK_KEY: i64 = 0x006c_696e_676f;

pub struct TestDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

/// `postgres://u@h:p/db?x` → (`postgres://u@h:p/`, `?x`)
fn split_url(url: &str) -> (String, String) {
    let (without_query, query) = match url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (url, String::new()),
    };
    let base = match without_query.rfind('/') {
        Some(i) if i > "postgres://".len() => &without_query[..=i],
        _ => without_query,
    };
    (base.to_owned(), query)
}

async fn execute(conn: &mut AsyncPgConnection, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn).await
}

impl TestDatabase {
    pub async fn create(base_url: &str) -> Self {
        let (base, query) = split_url(base_url);
        let admin_url = format!("{base}postgres{query}");
        let template = template();
        let template_url = format!("{base}{template}{query}");
        let name = format!("lingo_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AsyncPgConnection::establish(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("cannot reach PostgreSQL at {admin_url}: {e} (run `just stores`)")
            });
        execute(&mut admin, &format!("SELECT pg_advisory_lock({LOCK_KEY})"))
            .await
            .expect("advisory lock");
        let exists = execute(
            &mut admin,
            &format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"),
        )
        .await
        .expect("pg_database")
            > 0;
        if !exists {
            execute(&mut admin, &format!("CREATE DATABASE {template}"))
                .await
                .expect("create template");
        }
        lingo_postgres::run_migrations(&template_url)
            .await
            .expect("migrate the template database");
        let mut created = Err(diesel::result::Error::NotFound);
        for _ in 0..100 {
            // The migration connection may take a moment to leave the template.
            created = execute(
                &mut admin,
                &format!("CREATE DATABASE {name} TEMPLATE {template}"),
            )
            .await;
            if created.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        created.expect("create the test database");
        execute(
            &mut admin,
            &format!("SELECT pg_advisory_unlock({LOCK_KEY})"),
        )
        .await
        .expect("advisory unlock");
        Self {
            url: format!("{base}{name}{query}"),
            admin_url,
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = std::thread::spawn(move || {
            if let Ok(mut conn) =
                <AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(
                    &admin_url,
                )
            {
                let _ = diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn);
            }
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn urls_split_into_server_and_options() {
        assert_eq!(
            split_url("postgres://postgres@127.0.0.1:5432/lingo?sslmode=disable"),
            (
                "postgres://postgres@127.0.0.1:5432/".to_owned(),
                "?sslmode=disable".to_owned()
            )
        );
        assert_eq!(
            split_url("postgres://u@h/db"),
            ("postgres://u@h/".to_owned(), String::new())
        );
    }
}
