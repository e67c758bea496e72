//! [`HttpDouble`]: the server, its routes and what it recorded.

use crate::testing::recorded::Recorded;
use crate::testing::reply::{Fault, Reply};
use crate::testing::route::Route;
use crate::testing::wire::{read_request, write_reply};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// A local server answering scripted replies; it serves until the test's runtime ends.
pub struct HttpDouble {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
}

struct Shared {
    routes: Vec<Route>,
    /// Per route, the requests it answered so far.
    hits: Vec<usize>,
    requests: Vec<Recorded>,
}

impl HttpDouble {
    /// Answers `reply` to every request.
    pub async fn start(reply: Reply) -> Self {
        Self::script(vec![reply]).await
    }

    /// Answers the n-th request with `script[n]`, and every request past the end with the last.
    pub async fn script(script: Vec<Reply>) -> Self {
        Self::routes(vec![Route::any().replies(script)]).await
    }

    /// Answers each request from the first route that matches it; a request no route matches
    /// gets a plain-text 404.
    ///
    /// # Panics
    /// If the port cannot be bound or a route has no reply: both are test set-up errors.
    #[allow(clippy::expect_used)]
    pub async fn routes(routes: Vec<Route>) -> Self {
        assert!(
            routes.iter().all(|route| !route.script.is_empty()),
            "every route needs at least one reply"
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Mutex::new(Shared {
            hits: vec![0; routes.len()],
            routes,
            requests: Vec::new(),
        }));
        let serving = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&serving)));
            }
        });
        Self { base_url, shared }
    }

    /// `base_url` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Replaces every route by one answering `reply` to everything (e.g. a key rotation).
    pub fn serve(&self, reply: Reply) {
        let mut shared = lock(&self.shared);
        shared.routes = vec![Route::any().reply(reply)];
        shared.hits = vec![0];
    }

    pub fn request_count(&self) -> usize {
        lock(&self.shared).requests.len()
    }

    /// The requests that reached `method` `path`, whatever answered them.
    pub fn hits(&self, method: &str, path: &str) -> usize {
        lock(&self.shared)
            .requests
            .iter()
            .filter(|request| request.method.eq_ignore_ascii_case(method) && request.path == path)
            .count()
    }

    /// Every request read so far, in the order they were read.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared).requests.clone()
    }

    /// The one request the test expects to have been made.
    ///
    /// # Panics
    /// If there were none or several.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!())
    }
}

/// A base URL on which nothing listens: the port was just bound and released.
///
/// # Panics
/// If no port can be bound.
#[allow(clippy::expect_used)]
pub async fn unreachable_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    format!("http://{}", listener.local_addr().expect("address"))
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One request per connection: the answer says `connection: close`.
async fn serve(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut shared = lock(&shared);
        let matched = shared
            .routes
            .iter()
            .position(|route| route.matches(&request));
        shared.requests.push(request);
        matched.map(|index| {
            let turn = shared.hits[index].min(shared.routes[index].script.len() - 1);
            shared.hits[index] += 1;
            shared.routes[index].script[turn].clone()
        })
    };
    let reply = reply.unwrap_or_else(|| Reply::text(404, "no route of the HTTP double matches"));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    match reply.fault {
        Some(Fault::Silence(duration)) => tokio::time::sleep(duration).await,
        Some(Fault::HangUp) => {}
        Some(Fault::CutOff { declared }) => {
            let _ = write_reply(&mut stream, &reply, declared).await;
        }
        None => {
            let _ = write_reply(&mut stream, &reply, reply.body.len()).await;
        }
    }
    let _ = stream.shutdown().await;
}
