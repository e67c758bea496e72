//! A one-file HTTP/1.1 server on 127.0.0.1:0 that records each request it reads and answers
//! with a script of canned [`Reply`]s, one per request, the last repeated for ever. Small enough
//! to read in a minute, which a mock library is not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the fake provider does once it has read a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer with a JSON content type and any extra headers.
    Json {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Says nothing for this long, then hangs up: longer than the client timeout.
    Silence(Duration),
    /// Declares `declared` bytes of body but sends only `body`, then hangs up.
    CutOff {
        status: u16,
        declared: usize,
        body: String,
    },
    /// Hangs up without answering.
    HangUp,
}

pub fn json(status: u16, body: &str) -> Reply {
    Reply::Json {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

impl Reply {
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Json { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// As sent: percent-encoding kept.
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
}

#[derive(Default)]
struct Shared {
    script: Vec<Reply>,
    requests: Vec<Recorded>,
}

pub struct FakeProvider {
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
}

impl FakeProvider {
    /// Answers `reply` to every request.
    pub async fn start(reply: Reply) -> Self {
        Self::script(vec![reply]).await
    }

    /// Answers the n-th request with `script[n]`, and every request past the end with the last.
    pub async fn script(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Mutex::new(Shared {
            script,
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

    pub fn request_count(&self) -> usize {
        self.shared.lock().expect("lock").requests.len()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().expect("lock").requests.clone()
    }

    /// The one request the test expects to have been made.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.into_iter().next().expect("one request")
    }
}

/// A base URL on which nothing listens: the port was just bound and released.
pub async fn unreachable_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    format!("http://{}", listener.local_addr().expect("address"))
}

async fn serve(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut shared = shared.lock().expect("lock");
        let turn = shared.requests.len().min(shared.script.len() - 1);
        shared.requests.push(request);
        shared.script[turn].clone()
    };
    let answer = match reply {
        Reply::Json {
            status,
            headers,
            body,
        } => head(status, body.len(), &headers) + &body,
        Reply::CutOff {
            status,
            declared,
            body,
        } => head(status, declared, &[]) + &body,
        Reply::Silence(duration) => {
            tokio::time::sleep(duration).await;
            return;
        }
        Reply::HangUp => return,
    };
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn head(status: u16, content_length: usize, headers: &[(String, String)]) -> String {
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    format!(
        "HTTP/1.1 {status} Canned\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {content_length}\r\n{extra}connection: close\r\n\r\n"
    )
}

/// Reads the head up to the blank line (a GET has no body).
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, path) = (
        request_line.next()?.to_owned(),
        request_line.next()?.to_owned(),
    );
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Recorded {
        method,
        path,
        headers,
    })
}
