//! Devices, the daily study reminder and the in-app notification list (docs/reminders.md): a
//! reminder at the learner's local time, once a day, only while the day's goal is not met and
//! never in quiet hours; tokens the provider no longer accepts unregister their device.

use crate::auth_password::spawn;
use chrono::{DateTime, Duration, TimeZone, Utc};
use lingo_kernel::Clock;
use lingo_notifications::ports::PushOutcome;
use lingo_test_support::{Learner, TestApp, english_words};
use reqwest::Method;
use serde_json::{Value, json};

const ANDROID_TOKEN: &str = "fcm-token-one:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8";
const IOS_TOKEN: &str = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

async fn put_device(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.send_with(token, Method::PUT, "/api/v1/me/devices", Some(&body))
        .await
}

fn android(version: &str) -> Value {
    json!({"platform": "android", "push_token": ANDROID_TOKEN, "app_version": version, "locale": "fa"})
}

async fn devices_of(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = app.get_with(token, "/api/v1/me/devices").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().expect("items").clone()
}

/// Moves the api's clock to the next `hh:mm` UTC at least a minute ahead.
fn move_clock_to(app: &TestApp, hour: u32, minute: u32) -> DateTime<Utc> {
    let now = app.clock.now();
    let mut target =
        Utc.from_utc_datetime(&now.date_naive().and_hms_opt(hour, minute, 0).expect("time"));
    if target < now + Duration::minutes(1) {
        target += Duration::days(1);
    }
    app.advance_time(target - now);
    target
}

/// The learner with an access token issued at the api's (moved) clock.
async fn fresh(app: &TestApp, learner: &Learner) -> Learner {
    Learner {
        token: app.token(learner.id, lingo_users::Role::Learner).await,
        ..learner.clone()
    }
}

async fn remind_at_20_tehran(app: &TestApp, learner: &Learner, quiet: Value) {
    let (status, me) = app
        .patch_with(
            &learner.token,
            "/api/v1/me",
            json!({"profile": {"timezone": "Asia/Tehran", "native_language": "fa",
                   "daily_goal": {"kind": "reviews", "target": 1},
                   "reminder": {"enabled": true, "time": "20:00", "quiet_hours": quiet}}}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["profile"]["reminder"]["time"], "20:00");
}

#[tokio::test]
async fn devices_are_registered_refreshed_moved_between_accounts_and_removed() {
    let app = spawn().await;
    let sara = app.register_learner("sara.devices@example.org").await;
    let (status, first) = put_device(&app, &sara.token, android("1.4.0")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["platform"], "android");
    let (status, again) = put_device(&app, &sara.token, android("1.5")).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["id"], first["id"],
        "the same token is the same device"
    );
    assert_eq!(again["app_version"], "1.5.0");
    assert_eq!(devices_of(&app, &sara.token).await.len(), 1);

    // The phone changes hands: the token follows the account that registers it.
    let omid = app.register_learner("omid.devices@example.org").await;
    let (status, moved) = put_device(&app, &omid.token, android("1.5.0")).await;
    assert_eq!(status, 200, "{moved}");
    assert_ne!(moved["id"], first["id"]);
    assert!(devices_of(&app, &sara.token).await.is_empty());

    let path = format!("/api/v1/me/devices/{}", moved["id"].as_str().expect("id"));
    let (status, _) = app.delete_with(&sara.token, &path).await;
    assert_eq!(status, 404, "another learner's device is not found");
    let (status, _) = app.delete_with(&omid.token, &path).await;
    assert_eq!(status, 204);
    assert!(devices_of(&app, &omid.token).await.is_empty());

    for bad in [
        json!({"platform": "android", "push_token": "a/b", "app_version": "1.0.0", "locale": "fa"}),
        json!({"platform": "android", "push_token": "abc", "app_version": "one", "locale": "fa"}),
        json!({"platform": "android", "push_token": "abc", "app_version": "1.0.0", "locale": "not a locale"}),
        json!({"platform": "symbian", "push_token": "abc", "app_version": "1.0.0", "locale": "fa"}),
    ] {
        let (status, problem) = put_device(&app, &sara.token, bad.clone()).await;
        assert!(matches!(status, 400 | 422), "{bad}: {status} {problem}");
    }
}

#[tokio::test]
async fn a_learner_keeps_at_most_ten_devices_the_oldest_registration_goes() {
    let app = spawn().await;
    let learner = app.register_learner("many.devices@example.org").await;
    for n in 0..11 {
        let body = json!({"platform": "ios", "push_token": format!("{n:064x}"),
                          "app_version": "2.0.0", "locale": "en"});
        let (status, device) = put_device(&app, &learner.token, body).await;
        assert_eq!(status, 200, "{device}");
        app.advance_time(Duration::seconds(1));
    }
    let devices = devices_of(&app, &learner.token).await;
    assert_eq!(devices.len(), 10);
    assert!(
        devices
            .iter()
            .all(|d| d["push_token"] != format!("{:064x}", 0))
    );
}

#[tokio::test]
async fn logging_out_with_the_device_id_unregisters_that_device_and_deleting_the_account_all() {
    let app = spawn().await;
    let learner = app.register_learner("logout.device@example.org").await;
    let (_, phone) = put_device(&app, &learner.token, android("1.0.0")).await;
    let tablet =
        json!({"platform": "ios", "push_token": IOS_TOKEN, "app_version": "1.0.0", "locale": "en"});
    let (status, _) = put_device(&app, &learner.token, tablet).await;
    assert_eq!(status, 200);
    let refresh = learner.session["refresh_token"]
        .as_str()
        .expect("refresh token");
    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": refresh, "device_id": phone["id"]}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let left = devices_of(&app, &learner.token).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["platform"], "ios");

    let (status, _) = app.delete_with(&learner.token, "/api/v1/me").await;
    assert_eq!(status, 204);
    let remaining = app
        .services
        .devices
        .list(learner.id)
        .await
        .expect("devices listed");
    assert!(remaining.is_empty(), "the account's devices went with it");
}

#[tokio::test]
async fn a_reminder_at_20_00_asia_tehran_is_sent_once_and_an_invalid_token_unregisters_its_device()
{
    let app = spawn().await;
    let learner = app.register_learner("tehran.reminder@example.org").await;
    remind_at_20_tehran(&app, &learner, Value::Null).await;
    put_device(&app, &learner.token, android("1.4.0")).await;
    let ios =
        json!({"platform": "ios", "push_token": IOS_TOKEN, "app_version": "1.4.0", "locale": "en"});
    put_device(&app, &learner.token, ios).await;
    app.pushes.answer(
        IOS_TOKEN,
        PushOutcome::TokenInvalid("APNs 410 Unregistered".to_owned()),
    );
    let reminders = &app.services.job_deps.reminders;

    // 16:20 UTC is 19:50 in Tehran: not yet.
    move_clock_to(&app, 16, 20);
    let report = reminders.run().await.expect("job runs");
    assert_eq!(report.sent, 0, "{report:?}");
    assert!(app.pushes.sent().is_empty());

    // 16:35 UTC is 20:05 in Tehran (UTC+03:30).
    app.advance_time(Duration::minutes(15));
    let report = reminders.run().await.expect("job runs");
    assert_eq!(
        (report.sent, report.pushed, report.unregistered),
        (1, 1, 1),
        "{report:?}"
    );
    let pushes = app.pushes.sent();
    assert_eq!(pushes.len(), 2);
    let android_push = pushes
        .iter()
        .find(|(device, _)| device.token.as_str() == ANDROID_TOKEN)
        .expect("a push to the phone");
    assert_eq!(
        android_push.1.title, "وقت مرور واژه‌هاست",
        "in the device's language"
    );
    let ios_push = pushes
        .iter()
        .find(|(device, _)| device.token.as_str() == IOS_TOKEN)
        .expect("a push to the tablet");
    assert_eq!(ios_push.1.title, "Time for your words");

    let learner = fresh(&app, &learner).await;
    let devices = devices_of(&app, &learner.token).await;
    assert_eq!(devices.len(), 1, "the unregistered token's device is gone");
    assert_eq!(devices[0]["platform"], "android");

    // A rerun, or a second scheduler's run, sends nothing more that day.
    app.advance_time(Duration::minutes(15));
    let report = reminders.run().await.expect("job runs");
    assert_eq!(report.sent, 0, "{report:?}");
    assert_eq!(app.pushes.sent().len(), 2);

    let learner = fresh(&app, &learner).await;
    let (status, list) = app
        .get_with(&learner.token, "/api/v1/me/notifications")
        .await;
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["kind"], "reminder");
    assert_eq!(items[0]["read_at"], Value::Null);
    assert_eq!(
        items[0]["id"].as_str(),
        Some(android_push.1.notification.to_string().as_str()),
        "the push names its in-app notification"
    );
    let read_path = format!(
        "/api/v1/me/notifications/{}/read",
        items[0]["id"].as_str().expect("id")
    );
    let (status, read) = app.post_with(&learner.token, &read_path, json!(null)).await;
    assert_eq!(status, 200, "{read}");
    assert!(read["read_at"].is_string());
    let other = app.register_learner("not.the.owner@example.org").await;
    let (status, _) = app.post_with(&other.token, &read_path, json!(null)).await;
    assert_eq!(status, 404);

    // The next day at 20:00 Tehran: the next reminder.
    app.advance_time(Duration::days(1) - Duration::minutes(20));
    let report = reminders.run().await.expect("job runs");
    assert_eq!(report.sent, 1, "{report:?}");
}

#[tokio::test]
async fn no_reminder_in_quiet_hours_nor_once_the_days_goal_is_met() {
    let app = spawn().await;
    let quiet = app.register_learner("quiet.reminder@example.org").await;
    remind_at_20_tehran(&app, &quiet, json!({"start": "19:30", "end": "07:00"})).await;
    let busy = app.register_learner("busy.reminder@example.org").await;
    remind_at_20_tehran(&app, &busy, Value::Null).await;
    let reminders = &app.services.job_deps.reminders;

    move_clock_to(&app, 16, 35);
    let busy = fresh(&app, &busy).await;
    let deck = app.create_deck(&busy, "Evening").await;
    let (status, added) = app
        .add_words(&busy, &deck, english_words(&["steady"]))
        .await;
    assert_eq!(status, 200, "{added}");
    let card = app.cards(&busy, "").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, review) = app
        .post_review(
            &busy,
            json!({"card_id": card, "rating": 3, "reviewed_at": app.clock.now(),
                   "client_review_id": "evening-1"}),
        )
        .await;
    assert_eq!(status, 200, "{review}");

    let report = reminders.run().await.expect("job runs");
    assert_eq!(report.sent, 0, "{report:?}");
    assert_eq!(report.skipped, 2, "{report:?}");
    let (status, list) = app.get_with(&busy.token, "/api/v1/me/notifications").await;
    assert_eq!(
        (status, list["items"].as_array().map(Vec::len)),
        (200, Some(0))
    );
}

#[tokio::test]
async fn the_notification_list_pages_newest_first_and_refuses_forged_cursors() {
    let app = spawn().await;
    let learner = app.register_learner("pages.reminder@example.org").await;
    remind_at_20_tehran(&app, &learner, Value::Null).await;
    move_clock_to(&app, 16, 35);
    for _ in 0..3 {
        let report = app
            .services
            .job_deps
            .reminders
            .run()
            .await
            .expect("job runs");
        assert_eq!(report.sent, 1, "{report:?}");
        app.advance_time(Duration::days(1));
    }
    let token = fresh(&app, &learner).await.token;
    let (status, first) = app
        .get_with(&token, "/api/v1/me/notifications?limit=2")
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let (status, second) = app
        .get_with(
            &token,
            &format!("/api/v1/me/notifications?limit=2&cursor={cursor}"),
        )
        .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["next_cursor"], Value::Null);
    let newest = first["items"][0]["created_at"].as_str().expect("date");
    let oldest = second["items"][0]["created_at"].as_str().expect("date");
    assert!(newest > oldest, "{newest} after {oldest}");
    let (status, _) = app
        .get_with(&token, "/api/v1/me/notifications?cursor=forged")
        .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn the_device_and_notification_routes_are_in_the_openapi_document() {
    let app = spawn().await;
    let (status, doc) = lingo_test_support::json_of(app.get("/api/v1/openapi.json").await).await;
    assert_eq!(status, 200);
    for (path, method) in [
        ("/api/v1/me/devices", "put"),
        ("/api/v1/me/devices", "get"),
        ("/api/v1/me/devices/{id}", "delete"),
        ("/api/v1/me/notifications", "get"),
        ("/api/v1/me/notifications/{id}/read", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let reminder = &doc["components"]["schemas"]["ProfileView"]["properties"]["reminder"];
    assert!(!reminder.is_null(), "the profile shows the reminder");
}

/// A UUIDv7 of `at`, as `NotificationId::new()` makes one at that time.
fn v7_at(at: DateTime<Utc>) -> uuid::Uuid {
    let ms = at.timestamp_millis();
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        u64::try_from(ms / 1000).expect("after 1970"),
        u32::try_from(ms % 1000).expect("millis") * 1_000_000,
    ))
}

#[tokio::test]
async fn notifications_and_reminder_records_past_their_retention_are_purged_by_the_job() {
    use diesel_async::RunQueryDsl;
    use lingo_notifications::purge_notifications::{
        NOTIFICATION_DAYS, PurgeNotifications, REMINDER_SEND_DAYS,
    };
    let app = spawn().await;
    let learner = app.register_learner("mina-notes@example.org").await;
    let now = app.clock.now();
    let old = now - Duration::days(NOTIFICATION_DAYS + 1);
    let recent = now - Duration::days(NOTIFICATION_DAYS - 1);
    let today = now.date_naive();
    let old_day = today - Duration::days(REMINDER_SEND_DAYS + 1);
    let mut conn = app.stores.stores.postgres.get().await.expect("connection");
    let (old_id, recent_id, new_id) = (v7_at(old), v7_at(recent), v7_at(now));
    for (id, at) in [(old_id, old), (recent_id, recent), (new_id, now)] {
        diesel::sql_query(format!(
            "INSERT INTO notifications (id, user_id, kind, title, body, created_at) \
             VALUES ('{id}', '{}', 'reminder', 'Time to study', 'Five cards are waiting', '{}')",
            learner.id,
            at.to_rfc3339()
        ))
        .execute(&mut conn)
        .await
        .expect("notification");
    }
    for day in [old_day, today - Duration::days(1), today] {
        diesel::sql_query(format!(
            "INSERT INTO reminder_sends (user_id, day, sent_at) VALUES ('{}', '{day}', now())",
            learner.id
        ))
        .execute(&mut conn)
        .await
        .expect("record");
    }
    let (status, list) = app
        .get_with(&learner.token, "/api/v1/me/notifications")
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().expect("items").len(), 3);

    let _worker = crate::admin_jobs::start_worker_with(&app, app.services.job_deps.clone());
    let admin = app
        .token(lingo_kernel::UserId::new(), lingo_users::Role::Admin)
        .await;
    for round in 0..2 {
        let done = crate::admin_jobs::run_job(&app, &admin, &PurgeNotifications {}).await;
        let expected = if round == 0 { 1 } else { 0 };
        assert_eq!(done["result"]["notifications"], expected, "{done}");
        assert_eq!(done["result"]["reminder_sends"], expected, "{done}");
        assert_eq!(
            done["result"]["reminder_sends_before"],
            (today - Duration::days(REMINDER_SEND_DAYS)).to_string(),
            "{done}"
        );
    }
    let (status, list) = app
        .get_with(&learner.token, "/api/v1/me/notifications")
        .await;
    assert_eq!(status, 200, "{list}");
    let ids: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    let kept = [new_id.to_string(), recent_id.to_string()];
    assert_eq!(ids, kept, "the two within the retention stay, newest first");
    #[derive(diesel::QueryableByName)]
    struct Day {
        #[diesel(sql_type = diesel::sql_types::Date)]
        day: chrono::NaiveDate,
    }
    let days: Vec<chrono::NaiveDate> = diesel::sql_query(format!(
        "SELECT day FROM reminder_sends WHERE user_id = '{}' ORDER BY day",
        learner.id
    ))
    .load::<Day>(&mut conn)
    .await
    .expect("records")
    .into_iter()
    .map(|d| d.day)
    .collect();
    assert_eq!(days, vec![today - Duration::days(1), today]);
}
