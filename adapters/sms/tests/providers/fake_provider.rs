//! A one-file HTTP/1.1 server on 127.0.0.1:0 that records each request it reads and answers
//! with one canned [`Reply`]. Small enough to read in a minute, which a mock library is not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the fake provider does once it has read a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete answer with a JSON content type.
    Json { status: u16, body: String },
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
        body: body.to_owned(),
    }
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Recorded {
    /// The body decoded as `application/x-www-form-urlencoded`.
    pub fn form(&self) -> HashMap<String, String> {
        self.body
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(name), form_decode(value))
            })
            .collect()
    }
}

fn form_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii hex");
                out.push(u8::from_str_radix(hex, 16).expect("percent escape"));
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).expect("form values are UTF-8")
}

pub struct FakeProvider {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeProvider {
    /// Starts serving `reply` to every connection until the test's runtime ends.
    pub async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, reply.clone(), Arc::clone(&recorded)));
            }
        });
        Self { base_url, requests }
    }

    /// The one request the test expects to have been made.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests.lock().expect("lock").clone();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.into_iter().next().expect("one request")
    }
}

/// A base URL on which nothing listens: the port was just bound and released.
pub async fn unreachable_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    format!("http://{}", listener.local_addr().expect("address"))
}

async fn serve(mut stream: TcpStream, reply: Reply, requests: Arc<Mutex<Vec<Recorded>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    requests.lock().expect("lock").push(request);
    let answer = match reply {
        Reply::Json { status, body } => head(status, body.len()) + &body,
        Reply::CutOff {
            status,
            declared,
            body,
        } => head(status, declared) + &body,
        Reply::Silence(duration) => {
            tokio::time::sleep(duration).await;
            return;
        }
        Reply::HangUp => return,
    };
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn head(status: u16, content_length: usize) -> String {
    format!(
        "HTTP/1.1 {status} Canned\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {content_length}\r\nconnection: close\r\n\r\n"
    )
}

/// Reads the head up to the blank line, then exactly `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
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
    let headers: HashMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .map_or(Some(0), |v| v.parse().ok())?;
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0u8; length - body.len()];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let body = String::from_utf8(body).ok()?;
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}
