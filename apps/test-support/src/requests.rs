//! The api's requests by name, as the tests make them (zero2prod's `app.post_subscriptions`):
//! sign a learner up, build a deck, review, read the queue, import a dictionary, follow a job.
//!
//! Two kinds of method: the plain ones (`post_json_as`, …) answer the `reqwest::Response` for
//! tests that look at headers; the `…_with` ones and the named requests answer
//! `(status, body)`, the body being JSON or `Null`.

use crate::TestApp;
use crate::polling::eventually;
use lingo_kernel::UserId;
use reqwest::Method;
use serde_json::{Value, json};

/// The password every test learner signs up with.
pub const PASSWORD: &str = "correct horse battery";

/// A learner signed up through the api.
#[derive(Debug, Clone)]
pub struct Learner {
    pub id: UserId,
    /// The access token of the session the sign-up opened.
    pub token: String,
    /// The whole session the api answered (refresh token, user, …).
    pub session: Value,
}

/// The status of `response` and its body as JSON (`Null` when empty or not JSON).
/// The `items` of a list (`{items, next_cursor}`) on a 200; any other body as it is.
pub fn items_of(status: u16, body: Value) -> Value {
    if status == 200 {
        let next = &body["next_cursor"];
        assert!(next.is_null() || next.is_string(), "not a list: {body}");
        body["items"].clone()
    } else {
        body
    }
}

pub async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `{"language": "en", "lemma": …}` for each lemma: the words of an "add words" request.
pub fn english_words(lemmas: &[&str]) -> Value {
    lemmas
        .iter()
        .map(|lemma| json!({"language": "en", "lemma": lemma}))
        .collect()
}

/// A kaikki.org JSONL file of English entries, one `(word, part of speech, gloss)` each.
pub fn kaikki_glosses(entries: &[(&str, &str, &str)]) -> String {
    entries
        .iter()
        .map(|(word, pos, gloss)| {
            format!(
                "{}\n",
                json!({"word": word, "pos": pos, "lang_code": "en", "senses": [{"glosses": [gloss]}]})
            )
        })
        .collect()
}

impl TestApp {
    /// `POST /api/v1/auth/register` with a profile (native language fa, Asia/Tehran, B1).
    pub async fn register(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/register",
            &json!({"email": email, "password": password, "display_name": "Sara",
                    "profile": {"native_language": "fa", "timezone": "Asia/Tehran", "level": "B1"}}),
        )
        .await
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// The token of the latest link emailed to `email`.
    pub fn emailed_token(&self, email: &str) -> String {
        let to = lingo_users::Email::parse(email).expect("valid email");
        let message = self
            .emails
            .last_to(&to)
            .unwrap_or_else(|| panic!("no email to {email}"));
        lingo_email::token_in(&message.text)
            .unwrap_or_else(|| panic!("no link in {:?}", message.text))
            .to_owned()
    }

    /// `POST /api/v1/auth/email/verify` with the token.
    pub async fn verify_email(&self, token: &str) -> (u16, Value) {
        json_of(
            self.post_json("/api/v1/auth/email/verify", &json!({"token": token}))
                .await,
        )
        .await
    }

    /// Signs a learner up with [`PASSWORD`], opens the verification link and keeps the
    /// session it starts.
    pub async fn register_learner(&self, email: &str) -> Learner {
        let (status, body) = json_of(self.register(email, PASSWORD).await).await;
        assert_eq!(status, 202, "{body}");
        let (status, session) = self.verify_email(&self.emailed_token(email)).await;
        assert_eq!(status, 200, "{session}");
        Learner {
            id: session["user"]["id"]
                .as_str()
                .expect("user id")
                .parse()
                .expect("uuid"),
            token: session["access_token"].as_str().expect("token").to_owned(),
            session,
        }
    }

    /// `POST` of a JSON body with a bearer token.
    pub async fn post_json_as(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// An authorised request with an optional JSON body.
    pub async fn send_with(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        json_of(request.send().await.expect("request sent")).await
    }

    pub async fn get_with(&self, token: &str, path: &str) -> (u16, Value) {
        self.send_with(token, Method::GET, path, None).await
    }

    pub async fn post_with(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.send_with(token, Method::POST, path, Some(&body)).await
    }

    pub async fn patch_with(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.send_with(token, Method::PATCH, path, Some(&body))
            .await
    }

    pub async fn delete_with(&self, token: &str, path: &str) -> (u16, Value) {
        self.send_with(token, Method::DELETE, path, None).await
    }

    /// Creates a deck and answers its id.
    pub async fn create_deck(&self, learner: &Learner, name: &str) -> String {
        let (status, deck) = self
            .post_with(&learner.token, "/api/v1/decks", json!({"name": name}))
            .await;
        assert_eq!(status, 201, "{deck}");
        deck["id"].as_str().expect("deck id").to_owned()
    }

    /// `POST /api/v1/decks/{deck}/words` with `words` (see [`english_words`]): on success the
    /// list's `items`, otherwise the problem.
    pub async fn add_words(&self, learner: &Learner, deck: &str, words: Value) -> (u16, Value) {
        let (status, body) = self
            .post_with(
                &learner.token,
                &format!("/api/v1/decks/{deck}/words"),
                json!({"words": words}),
            )
            .await;
        (status, items_of(status, body))
    }

    /// The learner's cards matching `query` (`deck=…`, `leech=true`, …).
    pub async fn cards(&self, learner: &Learner, query: &str) -> Vec<Value> {
        let (status, page) = self
            .get_with(&learner.token, &format!("/api/v1/cards?{query}"))
            .await;
        assert_eq!(status, 200, "{page}");
        page["items"].as_array().expect("items").clone()
    }

    /// `POST /api/v1/reviews`.
    pub async fn post_review(&self, learner: &Learner, review: Value) -> (u16, Value) {
        self.post_with(&learner.token, "/api/v1/reviews", review)
            .await
    }

    /// `POST /api/v1/cards/{card}/undo`, naming the review to undo (`None`: the latest).
    pub async fn undo_review(
        &self,
        learner: &Learner,
        card: &str,
        client_review_id: Option<&str>,
    ) -> (u16, Value) {
        let body = match client_review_id {
            Some(id) => json!({"client_review_id": id}),
            None => json!({}),
        };
        self.post_with(&learner.token, &format!("/api/v1/cards/{card}/undo"), body)
            .await
    }

    /// The learner's card `id` as the card listing shows it (paging through every card).
    pub async fn card(&self, learner: &Learner, id: &str) -> Value {
        let mut cursor: Option<String> = None;
        loop {
            let query = match &cursor {
                Some(c) => format!("/api/v1/cards?limit=200&cursor={c}"),
                None => "/api/v1/cards?limit=200".to_owned(),
            };
            let (status, page) = self.get_with(&learner.token, &query).await;
            assert_eq!(status, 200, "{page}");
            if let Some(card) = page["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|c| c["id"] == id)
            {
                return card.clone();
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => panic!("no card {id}"),
            }
        }
    }

    /// `GET /api/v1/study/queue` with `query` (`limit=10`, or empty): on success the list's
    /// `items`, otherwise the problem.
    pub async fn study_queue(&self, learner: &Learner, query: &str) -> (u16, Value) {
        let (status, body) = self
            .get_with(&learner.token, &format!("/api/v1/study/queue?{query}"))
            .await;
        (status, items_of(status, body))
    }

    /// `GET /api/v1/words/{word}/content{query}` (`query` starts with `?`, or is empty).
    pub async fn word_content(&self, token: &str, word: &str, query: &str) -> (u16, Value) {
        self.get_with(token, &format!("/api/v1/words/{word}/content{query}"))
            .await
    }

    /// Polls the word's content until it is ready (202 until then) and answers it.
    pub async fn wait_for_content(&self, token: &str, word: &str, query: &str) -> Value {
        eventually(&format!("content of {word}{query} ready"), || async {
            let (status, body) = self.word_content(token, word, query).await;
            if status == 200 {
                return Some(body);
            }
            assert_eq!(status, 202, "{body}");
            None
        })
        .await
    }

    /// Asks for a dictionary import (an admin's token) and waits until the worker finished it.
    pub async fn import_dictionary(&self, admin: &str, spec: Value) -> Value {
        let (status, accepted) = self
            .post_with(admin, "/api/v1/admin/dictionary/imports", spec)
            .await;
        assert_eq!(status, 202, "{accepted}");
        self.wait_for_job(admin, accepted["status_url"].as_str().expect("status url"))
            .await
    }

    /// `POST /api/v1/decks/{deck}/imports?{query}` with `file` as the body, of `content_type`:
    /// the 202's body (`job_id`, `status_url`) or the problem.
    pub async fn import_into_deck(
        &self,
        learner: &Learner,
        deck: &str,
        query: &str,
        content_type: &str,
        file: Vec<u8>,
    ) -> (u16, Value) {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/decks/{deck}/imports?{query}")))
            .bearer_auth(&learner.token)
            .header("content-type", content_type)
            .body(file)
            .send()
            .await
            .expect("request sent");
        json_of(response).await
    }

    /// Polls a job's status (`/api/v1/jobs/{id}`) until it succeeded; a dead job fails the test.
    pub async fn wait_for_job(&self, token: &str, status_url: &str) -> Value {
        eventually(&format!("{status_url} succeeded"), || async {
            let (_, job) = self.get_with(token, status_url).await;
            assert_ne!(job["status"], "dead", "{job}");
            (job["status"] == "succeeded").then_some(job)
        })
        .await
    }

    /// Polls a job's status until it is `status` (`dead`, `running`, …).
    pub async fn wait_for_job_status(&self, token: &str, status_url: &str, status: &str) -> Value {
        eventually(&format!("{status_url} {status}"), || async {
            let (_, job) = self.get_with(token, status_url).await;
            (job["status"] == status).then_some(job)
        })
        .await
    }
}
