use crate::TestStores;
use lingo_api::{AppState, ServerSettings};
use lingo_bootstrap::{Overrides, Services};
use lingo_jwt::JwtAccessTokens;
use lingo_kernel::clock::ShiftedClock;
use lingo_kernel::{Clock, UserId};
use lingo_sms::MemorySender;
use lingo_users::{AccessTokens, Role};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// The api on a random port, with every real adapter, on this test's stores.
pub struct TestApp {
    pub address: String,
    /// The admin listener (`/metrics`).
    pub admin_address: String,
    pub client: reqwest::Client,
    pub stores: TestStores,
    /// The composition root the api was built from (the worker's job handlers, imports, …).
    pub services: Services,
    /// Every SMS the api "sent".
    pub sms: Arc<MemorySender>,
    /// Every email the api "sent" (`emails.last_to(…)`, `lingo_email::token_in(text)`).
    pub emails: Arc<lingo_email::MemorySender>,
    /// Every push the reminders "sent" (`pushes.answer(token, outcome)` scripts a provider).
    pub pushes: Arc<lingo_push::MemorySender>,
    /// The api's clock: the wall clock until a test moves it ahead (`advance_time`).
    pub clock: Arc<ShiftedClock>,
    tokens: Arc<JwtAccessTokens>,
    server: actix_web::dev::ServerHandle,
    admin_server: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(&[]).await
    }

    pub async fn spawn_with(overrides: &[(&str, &str)]) -> Self {
        let stores = TestStores::new(overrides).await;
        let config = &stores.config;
        let tokens = Arc::new(JwtAccessTokens::new(
            config.auth.jwt_secret.as_bytes(),
            &config.auth.jwt_issuer,
            &config.auth.jwt_audience,
            chrono::Duration::minutes(15),
        ));
        let sms = Arc::new(MemorySender::new());
        let emails = Arc::new(lingo_email::MemorySender::new());
        let pushes = Arc::new(lingo_push::MemorySender::new());
        let clock = Arc::new(ShiftedClock::new());
        let services = Services::build(
            config,
            stores.stores.clone(),
            Overrides {
                sms: Some(sms.clone()),
                email: Some(emails.clone()),
                push: Some(pushes.clone()),
                clock: Some(clock.clone()),
                ..Overrides::default()
            },
        )
        .expect("services are wired");
        let state = AppState::new(&services, config);
        let admin_listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let admin_address = format!("http://{}", admin_listener.local_addr().expect("address"));
        let admin = lingo_api::start_admin(admin_listener, state.clone(), Duration::from_secs(1))
            .expect("admin listener starts");
        let admin_server = admin.handle();
        tokio::spawn(admin);
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let server = lingo_api::start(
            listener,
            state,
            ServerSettings {
                body_limit_bytes: config.http.body_limit_bytes,
                request_timeout: config.http.request_timeout,
                shutdown_timeout: Duration::from_secs(1),
                cors_origins: config.http.cors_origins.clone(),
                workers: 1,
            },
        )
        .expect("server starts");
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            address,
            admin_address,
            client: reqwest::Client::new(),
            stores,
            services,
            sms,
            emails,
            pushes,
            clock,
            tokens,
            server: handle,
            admin_server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// GET on the admin listener (`/metrics`).
    pub async fn get_admin(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.admin_address))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// A valid access token for `user`, issued at the api's "now". Tokens are checked against
    /// their account, so an account with this id is created (no email, no password) unless it
    /// exists; the token carries the role asked for, whatever the account's.
    pub async fn token(&self, user: UserId, role: Role) -> String {
        use lingo_users::ports::UserRepository;
        let users = lingo_postgres::PgUserRepository::new(self.stores.stores.postgres.clone());
        let account = match users.by_id(user).await.expect("account looked up") {
            Some(account) => account,
            None => users
                .insert(&lingo_users::NewUser {
                    id: user,
                    email: None,
                    email_verified_at: None,
                    phone: None,
                    password_hash: None,
                    display_name: lingo_users::DisplayName::parse("Test").expect("name"),
                    role,
                    profile: lingo_users::LearningProfile::default(),
                    now: self.clock.now(),
                })
                .await
                .expect("account created"),
        };
        self.tokens
            .issue(user, role, account.token_generation, self.clock.now())
            .expect("token issued")
    }

    /// Moves the api's clock ahead by `by` ("a day later"). Access tokens issued before may
    /// have expired with it: `token` issues fresh ones.
    pub fn advance_time(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Not awaited: the server stops with the test's runtime.
        drop(self.server.stop(false));
        drop(self.admin_server.stop(false));
    }
}
