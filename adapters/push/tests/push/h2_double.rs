//! A local HTTP/2 server (h2c, prior knowledge) answering scripted replies and recording
//! requests: APNs speaks only HTTP/2, which `lingo-http`'s HTTP/1.1 double does not.

use bytes::Bytes;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct H2Request {
    pub method: String,
    pub path: String,
    pub version: http::Version,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl H2Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct H2Reply {
    pub status: u16,
    pub body: String,
}

pub fn reply(status: u16, body: &str) -> H2Reply {
    H2Reply {
        status,
        body: body.to_owned(),
    }
}

pub struct H2Double {
    pub base_url: String,
    requests: Arc<Mutex<Vec<H2Request>>>,
}

impl H2Double {
    /// Answers the n-th request with `script[n]`, the last one for ever after.
    pub async fn script(script: Vec<H2Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (recorded, script) = (Arc::clone(&recorded), Arc::clone(&script));
                tokio::spawn(async move {
                    let Ok(mut connection) = h2::server::handshake(socket).await else {
                        return;
                    };
                    while let Some(Ok((request, respond))) = connection.accept().await {
                        tokio::spawn(answer(
                            request,
                            respond,
                            Arc::clone(&recorded),
                            Arc::clone(&script),
                        ));
                    }
                });
            }
        });
        Self { base_url, requests }
    }

    pub fn requests(&self) -> Vec<H2Request> {
        self.requests.lock().expect("lock").clone()
    }
}

async fn answer(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    recorded: Arc<Mutex<Vec<H2Request>>>,
    script: Arc<Vec<H2Reply>>,
) {
    let (parts, mut stream) = request.into_parts();
    let mut body = Vec::new();
    while let Some(Ok(chunk)) = stream.data().await {
        let _ = stream.flow_control().release_capacity(chunk.len());
        body.extend_from_slice(&chunk);
    }
    let turn = {
        let mut requests = recorded.lock().expect("lock");
        requests.push(H2Request {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            version: parts.version,
            headers: parts.headers,
            body,
        });
        requests.len() - 1
    };
    let scripted = &script[turn.min(script.len() - 1)];
    let response = http::Response::builder()
        .status(scripted.status)
        .header("apns-id", "EC1BF194-B3B2-424A-89A9-5A918A6E6B5C")
        .header("content-type", "application/json")
        .body(())
        .expect("response");
    if let Ok(mut send) = respond.send_response(response, scripted.body.is_empty())
        && !scripted.body.is_empty()
    {
        let _ = send.send_data(Bytes::from(scripted.body.clone()), true);
    }
}
