//! A tiny HTTP server standing in for Google's JWKS endpoint: it answers every request with the
//! reply currently set (swappable at runtime, for key rotation) and counts the requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub cache_control: Option<String>,
}

impl Reply {
    /// A 200 with `body`, cacheable for `max_age_s` seconds.
    pub fn keys(body: String, max_age_s: u64) -> Self {
        let cache_control = Some(format!("public, max-age={max_age_s}, must-revalidate"));
        Self {
            status: 200,
            body,
            cache_control,
        }
    }

    pub fn error(status: u16) -> Self {
        Self {
            status,
            body: "oops".into(),
            cache_control: None,
        }
    }
}

struct Shared {
    reply: Mutex<Reply>,
    requests: AtomicUsize,
}

pub struct JwksServer {
    port: u16,
    shared: Arc<Shared>,
}

impl JwksServer {
    pub async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            reply: Mutex::new(reply),
            requests: AtomicUsize::new(0),
        });
        let serving = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&serving)));
            }
        });
        Self { port, shared }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/oauth2/v3/certs", self.port)
    }

    /// Replies `reply` from now on.
    pub fn serve(&self, reply: Reply) {
        *self.shared.reply.lock().unwrap() = reply;
    }

    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}

async fn answer(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let reply = shared.reply.lock().unwrap().clone();
    let cache_control = reply
        .cache_control
        .map(|value| format!("Cache-Control: {value}\r\n"))
        .unwrap_or_default();
    let response = format!(
        "HTTP/1.1 {} Test\r\nContent-Type: application/json\r\n{cache_control}Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        reply.status,
        reply.body.len(),
        reply.body
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
