//! Bounded work repeated until it is done: the purges delete a batch per statement, so that no
//! statement runs long, and ask again while a batch comes back full.

use std::future::Future;

/// Runs `batch(size)` until one does fewer than `size`; the total done.
pub async fn drain<E, F, Fut>(size: u32, mut batch: F) -> Result<u64, E>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<u64, E>>,
{
    let mut done = 0;
    loop {
        let n = batch(size).await?;
        done += n;
        if n < u64::from(size) {
            return Ok(done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn full_batches_ask_again_and_a_short_one_ends() {
        let mut left = 25u64;
        let mut calls = 0;
        let done = drain::<(), _, _>(10, |size| {
            calls += 1;
            let n = left.min(u64::from(size));
            left -= n;
            async move { Ok(n) }
        })
        .await;
        assert_eq!(done, Ok(25));
        assert_eq!(calls, 3);
    }

    #[tokio::test]
    async fn an_error_stops_at_once() {
        let mut calls = 0;
        let done = drain(10, |_| {
            calls += 1;
            async { Err::<u64, _>("down") }
        })
        .await;
        assert_eq!(done, Err("down"));
        assert_eq!(calls, 1);
    }
}
