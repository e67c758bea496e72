//! A one-file HTTP/1.1 server on 127.0.0.1:0 that records each request it reads (head and
//! body) and answers with a script of canned [`Reply`]s, one per request, the last repeated for
//! ever. Small enough to read in a minute, which a mock library is not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the fake server does once it has read a request.
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
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: serde_json::Value,
}

impl Recorded {
    /// The content of the message with `role`.
    pub fn message(&self, role: &str) -> String {
        self.body["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .find(|message| message["role"] == role)
            .and_then(|message| message["content"].as_str())
            .unwrap_or_else(|| panic!("no {role} message"))
            .to_owned()
    }
}

#[derive(Default)]
struct Shared {
    script: Vec<Reply>,
    requests: Vec<Recorded>,
}

pub struct FakeServer {
    /// Like `http://127.0.0.1:PORT/v1`, as an OpenAI-compatible base URL is.
    pub base_url: String,
    shared: Arc<Mutex<Shared>>,
}

impl FakeServer {
    /// Answers `reply` to every request.
    pub async fn start(reply: Reply) -> Self {
        Self::script(vec![reply]).await
    }

    /// Answers the n-th request with `script[n]`, and every request past the end with the last.
    pub async fn script(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty(), "a script needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
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

    /// The one request the test expects to have been made.
    pub fn only_request(&self) -> Recorded {
        let requests = self.shared.lock().expect("lock").requests.clone();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.into_iter().next().expect("one request")
    }
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
        Reply::Silence(duration) => {
            tokio::time::sleep(duration).await;
            return;
        }
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
        "HTTP/1.1 {status} Canned\r\ncontent-type: application/json\r\n\
         content-length: {content_length}\r\n{extra}connection: close\r\n\r\n"
    )
}

/// Reads the head up to the blank line, then `content-length` bytes of JSON body.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        read_more(stream, &mut buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, path) = (
        request_line.next()?.to_owned(),
        request_line.next()?.to_owned(),
    );
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers.get("content-length")?.parse().ok()?;
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        read_more(stream, &mut buffer).await?;
    }
    let body = serde_json::from_slice(&buffer[body_start..body_start + length]).ok()?;
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let read = stream.read(&mut chunk).await.ok()?;
    if read == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..read]);
    Some(())
}
