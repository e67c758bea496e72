use std::sync::Arc;
use std::time::Duration;

use lingo_users::ports::IdentityVerifier;
use tokio::task::JoinSet;

use crate::tokens::{self, KID_A, KID_B, TestKey};
use crate::{assert_invalid, keys, verifier};
use lingo_http::testing::HttpDouble;

#[tokio::test]
async fn keys_are_fetched_lazily_and_reused_within_max_age() {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 3600)).await;
    let verifier = verifier(&server, Duration::ZERO);
    assert_eq!(server.request_count(), 0);

    let token = tokens::sign(TestKey::A, KID_A, &tokens::claims());
    verifier.verify(&token, tokens::now()).await.unwrap();
    verifier.verify(&token, tokens::now()).await.unwrap();

    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn keys_past_their_max_age_are_fetched_again() {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 0)).await;
    let verifier = verifier(&server, Duration::ZERO);

    let token = tokens::sign(TestKey::A, KID_A, &tokens::claims());
    verifier.verify(&token, tokens::now()).await.unwrap();
    verifier.verify(&token, tokens::now()).await.unwrap();

    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn an_unknown_kid_after_key_rotation_triggers_exactly_one_refetch() {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 3600)).await;
    let verifier = verifier(&server, Duration::ZERO);
    let old = tokens::sign(TestKey::A, KID_A, &tokens::claims());
    verifier.verify(&old, tokens::now()).await.unwrap();

    server.serve(keys(tokens::jwks(&[KID_A, KID_B]), 3600));
    let rotated = tokens::sign(TestKey::B, KID_B, &tokens::claims());
    verifier.verify(&rotated, tokens::now()).await.unwrap();
    verifier.verify(&rotated, tokens::now()).await.unwrap();
    verifier.verify(&old, tokens::now()).await.unwrap();

    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_burst_of_garbage_kids_causes_at_most_one_refetch_per_interval() {
    // The key cache measures the interval with its own (tokio) clock, which the test cannot
    // move: the interval is wide and the tokens are signed beforehand, so both bursts (a kid
    // lookup each and one fetch) end well inside it however loaded the machine is.
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 3600)).await;
    let interval = Duration::from_secs(2);
    let verifier = Arc::new(verifier(&server, interval));
    let genuine = tokens::sign(TestKey::A, KID_A, &tokens::claims());
    let bursts: Vec<Vec<String>> = (0..2)
        .map(|_| {
            (0..50)
                .map(|i| tokens::sign(TestKey::A, &format!("garbage-{i}"), &tokens::claims()))
                .collect()
        })
        .collect();
    verifier.verify(&genuine, tokens::now()).await.unwrap();
    tokio::time::sleep(interval + Duration::from_millis(50)).await;

    for batch in bursts {
        let mut burst = JoinSet::new();
        for token in batch {
            let verifier = Arc::clone(&verifier);
            burst.spawn(async move { verifier.verify(&token, tokens::now()).await });
        }
        while let Some(result) = burst.join_next().await {
            assert_invalid(result.unwrap(), "does not publish");
        }
    }

    assert_eq!(
        server.request_count(),
        2,
        "the first fetch and one refetch for both bursts"
    );
}

#[tokio::test]
async fn concurrent_first_verifications_share_one_fetch() {
    let server = HttpDouble::start(keys(tokens::jwks(&[KID_A]), 3600)).await;
    let verifier = Arc::new(verifier(&server, Duration::ZERO));
    let token = tokens::sign(TestKey::A, KID_A, &tokens::claims());

    let mut verifications = JoinSet::new();
    for _ in 0..20 {
        let (verifier, token) = (Arc::clone(&verifier), token.clone());
        verifications.spawn(async move { verifier.verify(&token, tokens::now()).await });
    }
    while let Some(result) = verifications.join_next().await {
        result.unwrap().unwrap();
    }

    assert_eq!(server.request_count(), 1);
}
