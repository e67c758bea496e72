//! Two devices of one learner converge: changes are pulled with `GET /sync?since=<cursor>`,
//! reviews pushed through `/reviews/batch` and folded in time order.

use crate::auth_password::spawn;
use chrono::{Duration, Utc};
use lingo_test_support::{Learner, TestApp, english_words};
use serde_json::{Value, json};

/// Every page from `since` on: the items and the cursor to keep.
async fn pull(app: &TestApp, learner: &Learner, since: Option<&str>) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut since = since.map(str::to_owned);
    loop {
        let path = match &since {
            Some(cursor) => format!("/api/v1/sync?limit=2&since={cursor}"),
            None => "/api/v1/sync?limit=2".to_owned(),
        };
        let (status, page) = app.get_with(&learner.token, &path).await;
        assert_eq!(status, 200, "{page}");
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        let cursor = page["cursor"].as_str().expect("cursor").to_owned();
        if page["next_cursor"].is_null() {
            return (items, cursor);
        }
        assert_eq!(page["next_cursor"], page["cursor"]);
        since = Some(cursor);
    }
}

/// `pull` again until `ready` holds: the feed serves a change only once every transaction
/// older than it has ended (here: other tests' transactions on the shared server too).
async fn pull_until(
    app: &TestApp,
    learner: &Learner,
    since: Option<&str>,
    ready: impl Fn(&[Value]) -> bool,
) -> (Vec<Value>, String) {
    for _ in 0..100 {
        let (items, cursor) = pull(app, learner, since).await;
        if ready(&items) {
            return (items, cursor);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (items, _) = pull(app, learner, since).await;
    panic!("the feed never caught up: {items:?}");
}

fn of_kind<'a>(items: &'a [Value], kind: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["kind"] == kind).collect()
}

#[tokio::test]
async fn two_devices_converge_on_a_review_and_a_deletion() {
    let app = spawn().await;
    let learner = app.register_learner("two-phones@example.org").await;
    let kept = app.create_deck(&learner, "Kept").await;
    let gone = app.create_deck(&learner, "Gone").await;
    let (status, body) = app
        .add_words(&learner, &kept, english_words(&["tide"]))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .add_words(&learner, &gone, english_words(&["ember"]))
        .await;
    assert_eq!(status, 200, "{body}");

    // Both phones start from a full sync.
    let full =
        |items: &[Value]| of_kind(items, "deck").len() == 2 && of_kind(items, "card").len() >= 2;
    let (phone_a, cursor_a) = pull_until(&app, &learner, None, full).await;
    let (phone_b, cursor_b) = pull_until(&app, &learner, None, full).await;
    assert_eq!(phone_a.len(), phone_b.len());
    assert_eq!(of_kind(&phone_a, "deck").len(), 2);
    assert_eq!(of_kind(&phone_a, "profile").len(), 1);
    let cards = of_kind(&phone_a, "card");
    assert!(cards.len() >= 2, "{phone_a:?}");
    let card = cards
        .iter()
        .find(|c| c["card"]["deck_id"] == kept.as_str())
        .expect("a card of the kept deck")["card"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (nothing, same) = pull(&app, &learner, Some(&cursor_a)).await;
    assert!(nothing.is_empty(), "{nothing:?}");
    let position = |c: &str| c.rsplit_once('.').map(|(p, _)| p.to_owned());
    assert_eq!(
        position(&same),
        position(&cursor_a),
        "nothing new: the same position"
    );

    // Phone B was offline and reviewed two minutes ago; phone A reviews now and deletes a deck.
    let (status, body) = app
        .post_with(
            &learner.token,
            "/api/v1/reviews/batch",
            json!({"reviews": [{"card_id": card, "rating": 3,
                "reviewed_at": Utc::now(), "client_review_id": "phone-a-1"}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .delete_with(&learner.token, &format!("/api/v1/decks/{gone}"))
        .await;
    assert!(status == 200 || status == 204, "{status} {body}");
    let (status, body) = app
        .post_with(
            &learner.token,
            "/api/v1/reviews/batch",
            json!({"reviews": [{"card_id": card, "rating": 1,
                "reviewed_at": Utc::now() - Duration::minutes(2), "client_review_id": "phone-b-1"}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Each phone pulls from its own cursor and gets the same card: both reviews, folded in
    // time order (Again two minutes ago, then Good), and the deletions.
    let caught_up = |items: &[Value]| {
        of_kind(items, "card")
            .first()
            .is_some_and(|c| c["card"]["reps"] == 2)
            && of_kind(items, "deleted")
                .iter()
                .any(|d| d["entity"] == "deck")
    };
    let (changes_a, _) = pull_until(&app, &learner, Some(&cursor_a), caught_up).await;
    let (changes_b, _) = pull_until(&app, &learner, Some(&cursor_b), caught_up).await;
    for changes in [&changes_a, &changes_b] {
        let changed: Vec<&Value> = of_kind(changes, "card");
        assert_eq!(changed.len(), 1, "{changes:?}");
        assert_eq!(changed[0]["card"]["id"], card.as_str());
        assert_eq!(changed[0]["card"]["reps"], 2);
        assert_eq!(
            changed[0]["card"]["lapses"], 0,
            "Again came first, on a new card"
        );
        let deleted = of_kind(changes, "deleted");
        assert!(
            deleted
                .iter()
                .any(|d| d["entity"] == "deck" && d["id"] == gone.as_str()),
            "{changes:?}"
        );
        assert!(deleted.iter().any(|d| d["entity"] == "card"), "{changes:?}");
    }
    assert_eq!(changes_a.len(), changes_b.len());
    let current = app.card(&learner, &card).await;
    assert_eq!(
        of_kind(&changes_b, "card")[0]["card"]["due"],
        current["due"]
    );
}

#[tokio::test]
async fn a_cursor_not_issued_here_is_refused() {
    let app = spawn().await;
    let learner = app.register_learner("forged@example.org").await;
    for forged in ["abc", "s1.1.2", "s1.zz.1.1"] {
        let (status, body) = app
            .get_with(&learner.token, &format!("/api/v1/sync?since={forged}"))
            .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["code"], "sync_cursor_invalid", "{body}");
    }
    let expired = format!(
        "s1.1.1.{:x}",
        (Utc::now() - Duration::days(500)).timestamp()
    );
    let (status, body) = app
        .get_with(&learner.token, &format!("/api/v1/sync?since={expired}"))
        .await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(body["type"], "urn:lingo:problem:sync-cursor-expired");
}
