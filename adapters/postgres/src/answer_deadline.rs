//! A socket that fails when the server stops answering. `statement_timeout` is enforced by the
//! server, so a server that is hung (SIGSTOP, a frozen VM, a black-holed route) never cancels
//! anything, and tokio-postgres has no read timeout of its own: a query would wait forever,
//! holding a request or a worker slot. The kernel still acknowledges the bytes, so TCP
//! keepalives and `TCP_USER_TIMEOUT` do not notice either.
//!
//! The rule: once the client has written, the server must send something within `limit`, and
//! keep sending until it says `ReadyForQuery` (the message every exchange ends with, after
//! which silence is normal). The limit is above `statement_timeout`, so a slow but live query
//! is cancelled by the server first and this only ever fires when the server is gone.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// `ReadyForQuery`: tag `Z`, length 5, then the transaction status (`I`, `T` or `E`).
const READY_FOR_QUERY: [u8; 5] = [b'Z', 0, 0, 0, 5];

pub(crate) struct AnswerDeadline<S> {
    inner: S,
    /// `None` never fails a read.
    limit: Option<Duration>,
    /// Bytes were written and the server has not said `ReadyForQuery` since.
    awaiting: bool,
    timer: Pin<Box<Sleep>>,
    /// The last bytes read, to see a `ReadyForQuery` split across reads.
    tail: Vec<u8>,
}

impl<S> AnswerDeadline<S> {
    pub(crate) fn new(inner: S, limit: Option<Duration>) -> Self {
        Self {
            inner,
            limit,
            awaiting: false,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
            tail: Vec::with_capacity(12),
        }
    }

    fn rearm(&mut self) {
        if let Some(limit) = self.limit {
            self.timer.as_mut().reset(Instant::now() + limit);
        }
    }

    fn saw(&mut self, bytes: &[u8]) {
        self.tail
            .extend_from_slice(&bytes[bytes.len().saturating_sub(6)..]);
        let excess = self.tail.len().saturating_sub(6);
        self.tail.drain(..excess);
        let idle = self.tail.len() == 6
            && self.tail[..5] == READY_FOR_QUERY
            && matches!(self.tail[5], b'I' | b'T' | b'E');
        if idle {
            self.awaiting = false;
        } else if self.awaiting {
            self.rearm();
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for AnswerDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let new = buf.filled()[before..].to_vec();
                if !new.is_empty() {
                    this.saw(&new);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending if this.awaiting && this.timer.as_mut().poll(cx).is_ready() => {
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "PostgreSQL sent nothing for {:?}",
                        this.limit.unwrap_or_default()
                    ),
                )))
            }
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for AnswerDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let written = Pin::new(&mut this.inner).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) && !this.awaiting && this.limit.is_some()
        {
            this.awaiting = true;
            this.rearm();
            // Register this task with the timer now: the connection polls reads before writes,
            // so the next read may never come to do it.
            let _ = this.timer.as_mut().poll(cx);
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    const LIMIT: Duration = Duration::from_millis(300);

    #[tokio::test]
    async fn a_read_pending_before_the_request_is_woken_by_the_deadline() {
        let (client, _server) = duplex(64);
        let mut stream = AnswerDeadline::new(client, Some(LIMIT));
        let mut buf = [0u8; 16];
        // as tokio-postgres does: the read is polled (pending) before the request is written
        let read = std::future::poll_fn(|cx| {
            let mut read_buf = ReadBuf::new(&mut buf);
            let read = Pin::new(&mut stream).poll_read(cx, &mut read_buf);
            if read.is_pending() {
                let _ = Pin::new(&mut stream).poll_write(cx, b"Q....");
            }
            read
        });
        let outcome = tokio::time::timeout(LIMIT * 4, read).await;
        let err = outcome
            .expect("woken by the deadline")
            .expect_err("timed out");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn silence_after_a_request_fails_the_read_after_the_limit() {
        let (client, _server) = duplex(64);
        let mut stream = AnswerDeadline::new(client, Some(LIMIT));
        stream.write_all(b"Q....").await.expect("written");
        let started = Instant::now();
        let mut buf = [0u8; 16];
        let err = stream.read(&mut buf).await.expect_err("timed out");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= LIMIT, "{:?}", started.elapsed());
    }

    #[tokio::test]
    async fn silence_after_ready_for_query_is_idle_not_hung() {
        let (client, mut server) = duplex(64);
        let mut stream = AnswerDeadline::new(client, Some(LIMIT));
        stream.write_all(b"Q....").await.expect("written");
        // the answer, with ReadyForQuery split across two reads
        server.write_all(b"C\0\0\0\x04Z\0\0").await.expect("sent");
        let mut buf = [0u8; 64];
        let _ = stream.read(&mut buf).await.expect("first part");
        server.write_all(b"\0\x05I").await.expect("sent");
        let _ = stream.read(&mut buf).await.expect("second part");
        let idle = tokio::time::timeout(LIMIT * 3, stream.read(&mut buf)).await;
        assert!(
            idle.is_err(),
            "an idle connection waits as long as it likes"
        );
    }

    #[tokio::test]
    async fn a_slow_answer_that_keeps_coming_is_not_cut() {
        let (client, mut server) = duplex(64);
        let mut stream = AnswerDeadline::new(client, Some(LIMIT));
        stream.write_all(b"Q....").await.expect("written");
        let mut buf = [0u8; 64];
        for _ in 0..4 {
            tokio::time::sleep(LIMIT / 2).await;
            server.write_all(b"D\0\0\0\x04").await.expect("a row");
            let n = stream.read(&mut buf).await.expect("a row arrives in time");
            assert!(n > 0);
        }
    }
}
