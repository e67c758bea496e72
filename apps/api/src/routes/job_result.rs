//! What a finished job reports, typed per job type. The worker stores each handler's result as
//! JSON in the ledger; the api reads it back here into one schema per job type, tagged with the
//! job's `type`, so a generated client gets a typed result instead of a free object. The unit
//! tests serialise every domain result type and read it back here, so a field the worker adds or
//! renames fails the build's tests rather than the client.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A job's result: its members depend on `type`, which repeats the job's type.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(tag = "type")]
pub enum JobResult {
    #[serde(rename = "dictionary.import")]
    DictionaryImport(ImportResult),
    #[serde(rename = "dictionary.reconcile")]
    DictionaryReconcile(ReconcileResult),
    #[serde(rename = "content.generate")]
    ContentGenerate(GenerateResult),
    #[serde(rename = "content.prepare")]
    ContentPrepare(PrepareResult),
    #[serde(rename = "speech.render")]
    SpeechRender(RenderResult),
    #[serde(rename = "decks.propagate")]
    DecksPropagate(PropagateResult),
    #[serde(rename = "learning.optimise")]
    LearningOptimise(OptimiseResult),
    #[serde(rename = "learning.optimise_all")]
    LearningOptimiseAll(OptimiseAllResult),
    #[serde(rename = "learning.import_words")]
    LearningImportWords(ImportWordsResult),
    #[serde(rename = "users.purge")]
    UsersPurge(UserPurgeResult),
    #[serde(rename = "system.echo")]
    SystemEcho(EchoResult),
    #[serde(rename = "outbox.purge")]
    OutboxPurge(OutboxPurgeResult),
    #[serde(rename = "queue.stats")]
    QueueStats(QueueStatsResult),
    #[serde(rename = "reminders.send")]
    RemindersSend(RemindersResult),
    #[serde(rename = "account.export")]
    AccountExport(AccountExportResult),
    #[serde(rename = "account.purge_exports")]
    AccountPurgeExports(ExportsPurgedResult),
    #[serde(rename = "sync.purge_tombstones")]
    SyncPurgeTombstones(TombstonesPurgedResult),
    #[serde(rename = "notifications.purge")]
    NotificationsPurge(NotificationsPurgedResult),
}

impl JobResult {
    /// Reads the stored result of a job of type `kind`. A result that does not fit its type's
    /// schema (a job type this api does not know yet, during a rolling deploy) is an error the
    /// caller logs; the view then leaves the result out rather than send an untyped one.
    pub fn read(kind: &str, stored: Value) -> Result<Self, serde_json::Error> {
        let Value::Object(mut members) = stored else {
            return Err(serde::de::Error::custom("a job result is an object"));
        };
        members.insert("type".to_owned(), Value::String(kind.to_owned()));
        serde_json::from_value(Value::Object(members))
    }
}

/// `dictionary.import`: what the import read and wrote.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImportResult {
    /// The source id the entries were stored under.
    source: String,
    counters: ImportCounters,
    /// The first malformed records, with their line numbers.
    errors: Vec<MalformedRecord>,
    /// Records skipped because an earlier attempt had stored them (a resumed import).
    resumed_from: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImportCounters {
    read: u64,
    imported: u64,
    skipped: u64,
    failed: u64,
    /// Entries stored (a record can hold several).
    entries: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MalformedRecord {
    line: u64,
    reason: String,
}

/// `dictionary.reconcile`: word rows rebuilt from the stored entries.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReconcileResult {
    language: String,
    source: String,
    entries_seen: u64,
    entries_corrupt: u64,
    words_upserted: u64,
    /// The first stored documents that did not decode.
    corrupt: Vec<String>,
}

/// `content.generate`: the learning content made (or found) for one word.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenerateResult {
    key: String,
    version: u32,
    generator: String,
    model: String,
    /// The model's first answer did not fit the schema and was repaired.
    repaired: bool,
    usage: TokenUsage,
    /// The content was made already (a rerun or a duplicate request).
    already_existed: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TokenUsage {
    prompt_tokens: u64,
    completion_tokens: u64,
}

/// `content.prepare`: content asked for the words that reached a learner's deck.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PrepareResult {
    ready: u64,
    enqueued: u64,
    already_requested: u64,
}

/// `speech.render`: the audio stored for a text.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RenderResult {
    /// The audio's id (`GET /api/v1/audio/{id}`).
    id: String,
    bytes: u64,
    content_type: String,
    already_existed: bool,
}

/// `decks.propagate`: a system deck's words given to its subscribers.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PropagateResult {
    cards_created: u64,
    content_prepared_for: u64,
}

/// `learning.optimise`: whether fitted FSRS parameters replaced the ones in use.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OptimiseResult {
    outcome: OptimiseOutcomeName,
    /// Reviews available (`not_enough_reviews`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reviews: Option<u64>,
    /// The parameters in use afterwards (0 = the defaults); absent for `not_enough_reviews`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    old_loss: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    new_loss: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OptimiseOutcomeName {
    NotEnoughReviews,
    Kept,
    Adopted,
}

/// `learning.optimise_all`: the nightly fan-out.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OptimiseAllResult {
    learners: u64,
    enqueued: u64,
}

/// `learning.import_words`: what a learner's word list or Anki package brought into their deck
/// (docs/learner-import.md).
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImportWordsResult {
    deck_id: uuid::Uuid,
    format: ImportedFormat,
    /// Rows or notes read from the file.
    rows: u64,
    /// Words that got cards now.
    words_imported: u64,
    /// Words the deck held already, left as they were.
    words_already_in_deck: u64,
    cards_created: u64,
    /// Anki reviews stored in the review log and folded into the cards' FSRS state.
    reviews_imported: u64,
    /// Rows or notes not imported.
    failed: u64,
    /// The first 100 of them.
    errors: Vec<ImportRowError>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ImportedFormat {
    Csv,
    Tsv,
    Apkg,
}

/// A row (by its first line) or an Anki note (by its id) that was not imported.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImportRowError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note_id: Option<i64>,
    reason: String,
}

/// `users.purge`: a deleted account's data erased outside PostgreSQL.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UserPurgeResult {
    redis_keys: u64,
}

/// `system.echo`: the message back, and the attempt that returned it.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EchoResult {
    echo: String,
    attempt: u32,
}

/// `outbox.purge`: relayed ledger rows deleted.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutboxPurgeResult {
    deleted: u64,
}

/// `queue.stats`: the depth of the queue and of the outbox backlog.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QueueStatsResult {
    queue: QueueDepth,
    outbox_backlog: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QueueDepth {
    ready: u64,
    in_flight: u64,
    delayed: u64,
    dead: u64,
}

/// `reminders.send`: the study reminders of one run (docs/reminders.md).
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RemindersResult {
    /// Learners whose reminder time had just passed.
    candidates: u32,
    /// Reminders recorded (one in-app notification each).
    sent: u32,
    /// Pushes the providers accepted.
    pushed: u32,
    /// Devices unregistered because their token is no longer valid.
    unregistered: u32,
    push_failed: u32,
    /// Held back by the rule (goal met, quiet hours, already reminded, …).
    skipped: u32,
}

/// `account.export`: where to download the written export, and until when.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AccountExportResult {
    #[schema(format = Uuid)]
    export_id: String,
    /// `GET` it with the owner's token (`application/gzip`).
    download_url: String,
    expires_at: chrono::DateTime<chrono::Utc>,
    /// Size of the gzip file.
    bytes: u64,
}

/// `account.purge_exports`: expired export files deleted.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExportsPurgedResult {
    deleted: u64,
}

/// `sync.purge_tombstones`: deletion tombstones past the sync bound deleted.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TombstonesPurgedResult {
    deleted: u64,
    /// Tombstones of deletions before this were deleted.
    before: chrono::DateTime<chrono::Utc>,
}

/// `notifications.purge`: in-app notifications and reminder records past their retention
/// deleted (docs/reminders.md).
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NotificationsPurgedResult {
    notifications: u64,
    /// Notifications created before this were deleted.
    notifications_before: chrono::DateTime<chrono::Utc>,
    reminder_sends: u64,
    /// Reminder records of learner-days before this were deleted.
    reminder_sends_before: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingo_kernel::jobs::Job;

    /// Serialises a domain result as the worker stores it and reads it back as `J`'s result:
    /// the typed view must hold every member, with the same values.
    fn round_trip<J: Job>(result: impl Serialize) -> JobResult {
        let stored = serde_json::to_value(result).expect("serialisable");
        let typed = JobResult::read(J::NAME, stored.clone())
            .unwrap_or_else(|e| panic!("{}: {e} in {stored}", J::NAME));
        let mut written = serde_json::to_value(&typed).expect("serialisable");
        assert_eq!(written["type"], J::NAME);
        written.as_object_mut().expect("object").remove("type");
        assert_eq!(written, stored, "{} reads back unchanged", J::NAME);
        typed
    }

    #[test]
    fn every_job_type_result_reads_back_unchanged() {
        use lingo_content::generate_content::{GenerateContent, Generation};
        use lingo_content::ports::TokenUsage;
        use lingo_content::prepare_content::Prepared;
        use lingo_dictionary::import::{ImportCounters, ImportDictionary, ImportReport};
        use lingo_dictionary::reconcile::{ReconcileReport, ReconcileWords};
        use lingo_dictionary::speech::render_speech::{RenderSpeech, Rendered};
        use lingo_kernel::jobs::QueueStats;
        use lingo_kernel::jobs::system::*;
        use lingo_learning::deck::{PropagateSystemDeck, Propagated};
        use lingo_learning::optimise::*;
        use lingo_learning::prepare_content::PrepareContent;
        use lingo_users::account::{PurgeUserData, UserDataPurged};

        let source = lingo_dictionary::SourceId::try_from("freedict-eng-ara".to_owned())
            .expect("a valid source id");
        round_trip::<ImportDictionary>(ImportReport {
            source: source.clone(),
            counters: ImportCounters {
                read: 10,
                imported: 8,
                skipped: 1,
                failed: 1,
                entries: 9,
            },
            errors: vec![lingo_dictionary::import::MalformedRecord {
                line: 7,
                reason: "no headword".to_owned(),
            }],
            resumed_from: 2,
        });
        round_trip::<ReconcileWords>(ReconcileReport {
            language: lingo_kernel::LanguageCode::parse("en").expect("a valid language"),
            source,
            entries_seen: 5,
            entries_corrupt: 1,
            words_upserted: 4,
            corrupt: vec!["en:house:x".to_owned()],
        });
        round_trip::<GenerateContent>(Generation {
            key: "en:house:fa".to_owned(),
            version: 2,
            generator: "openai".to_owned(),
            model: "gpt-4o-mini".to_owned(),
            repaired: true,
            usage: TokenUsage {
                prompt_tokens: 300,
                completion_tokens: 120,
            },
            already_existed: false,
        });
        round_trip::<PrepareContent>(Prepared {
            ready: 3,
            enqueued: 2,
            already_requested: 1,
        });
        round_trip::<RenderSpeech>(Rendered {
            id: "a1b2".to_owned(),
            bytes: 4096,
            content_type: "audio/ogg".to_owned(),
            already_existed: false,
        });
        round_trip::<PropagateSystemDeck>(Propagated {
            cards_created: 40,
            content_prepared_for: 2,
        });
        for outcome in [
            OptimiseOutcome::NotEnoughReviews { reviews: 12 },
            OptimiseOutcome::Kept {
                version: 0,
                old_loss: 0.31,
                new_loss: 0.32,
            },
            OptimiseOutcome::Adopted {
                version: 3,
                old_loss: 0.35,
                new_loss: 0.3,
            },
        ] {
            round_trip::<OptimiseFsrs>(outcome);
        }
        round_trip::<OptimiseAllFsrs>(OptimisationsEnqueued {
            learners: 9,
            enqueued: 7,
        });
        {
            use lingo_learning::import_words::{
                ImportWords, ImportWordsReport, RowError, WordListFormat,
            };
            let mut report =
                ImportWordsReport::new(lingo_kernel::DeckId::new(), WordListFormat::Apkg);
            report.rows = 12;
            report.words_imported = 9;
            report.words_already_in_deck = 1;
            report.cards_created = 18;
            report.reviews_imported = 40;
            report.record_error(RowError::at_line(3, "word \"\": must not be empty"));
            report.record_error(RowError::of_note(1_607_392_319_123, "fields are not UTF-8"));
            round_trip::<ImportWords>(report);
        }
        round_trip::<PurgeUserData>(UserDataPurged { redis_keys: 6 });
        round_trip::<SystemEcho>(Echoed {
            echo: "hi".to_owned(),
            attempt: 2,
        });
        round_trip::<PurgeOutbox>(OutboxPurged { deleted: 11 });
        round_trip::<QueueStatsReport>(QueueStatsReported {
            queue: QueueStats {
                ready: 1,
                in_flight: 2,
                delayed: 3,
                dead: 4,
            },
            outbox_backlog: 5,
        });
        round_trip::<lingo_notifications::send_reminders::SendReminders>(
            lingo_notifications::send_reminders::ReminderReport {
                candidates: 6,
                sent: 3,
                pushed: 4,
                unregistered: 1,
                push_failed: 1,
                skipped: 3,
            },
        );
        use lingo_learning::purge_tombstones::{PurgeTombstones, TombstonesPurged};
        use lingo_users::export_account::{
            ExportAccount, ExportReady, ExportsPurged, PurgeExpiredExports,
        };
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00.123Z")
            .expect("a valid timestamp")
            .to_utc();
        let export_id = lingo_kernel::jobs::JobId::new();
        round_trip::<ExportAccount>(ExportReady {
            export_id,
            download_url: format!("/api/v1/me/export/{export_id}"),
            expires_at: at,
            bytes: 2048,
        });
        round_trip::<PurgeExpiredExports>(ExportsPurged { deleted: 3 });
        round_trip::<PurgeTombstones>(TombstonesPurged {
            deleted: 12,
            before: at,
        });
        use lingo_notifications::purge_notifications::{NotificationsPurged, PurgeNotifications};
        round_trip::<PurgeNotifications>(NotificationsPurged {
            notifications: 5,
            notifications_before: at,
            reminder_sends: 2,
            reminder_sends_before: at.date_naive(),
        });
    }

    #[test]
    fn a_result_that_does_not_fit_its_type_is_refused() {
        let echo = serde_json::json!({"echo": "hi", "attempt": 1, "extra": true});
        assert!(JobResult::read("system.echo", echo).is_err());
        let unknown = serde_json::json!({"deleted": 1});
        assert!(JobResult::read("something.new", unknown).is_err());
        assert!(JobResult::read("system.echo", serde_json::json!(3)).is_err());
        let misfiled = serde_json::json!({"deleted": 1});
        assert!(JobResult::read("system.echo", misfiled).is_err());
    }
}
