//! Every conversion of a domain error into the api's error, in one place: what each use case's
//! failure means in HTTP (status, detail, extension members).

use crate::problem::{ApiError, Problem};
use crate::routes::quizzes::ResultView;
use actix_web::http::StatusCode;
use lingo_content::request_content::RequestError;
use lingo_content::usage_report::UsageReportError;
use lingo_dictionary::analyse_text::AnalyseError;
use lingo_dictionary::lookup::LookupError;
use lingo_dictionary::request_import::ImportRequestError;
use lingo_kernel::Forbidden;
use lingo_kernel::jobs::JobRequestError;
use lingo_learning::manage_decks::DeckError;
use lingo_learning::ports::LearningStoreError;
use lingo_learning::quiz::QuizError;
use lingo_learning::request_optimisation::OptimiseRequestError;
use lingo_learning::review::{ReviewConflict, ReviewError, ReviewRejection};
use lingo_learning::undo_review::UndoError;

impl From<Forbidden> for ApiError {
    fn from(e: Forbidden) -> Self {
        Self::typed(StatusCode::FORBIDDEN, "admin-required", e.to_string())
    }
}

impl From<lingo_notifications::DeviceError> for ApiError {
    fn from(e: lingo_notifications::DeviceError) -> Self {
        use lingo_notifications::DeviceError;
        match e {
            DeviceError::Platform(_) => Self::invalid("platform", e.to_string()),
            DeviceError::Token => Self::invalid("push_token", e.to_string()),
            DeviceError::NotFound => Self::NotFound("no such device".to_owned()),
            DeviceError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<lingo_notifications::notification_list::NotificationError> for ApiError {
    fn from(e: lingo_notifications::notification_list::NotificationError) -> Self {
        use lingo_notifications::notification_list::NotificationError;
        match e {
            NotificationError::Cursor => Self::invalid("cursor", e.to_string()),
            NotificationError::NotFound => Self::NotFound("no such notification".to_owned()),
            NotificationError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<DeckError> for ApiError {
    fn from(e: DeckError) -> Self {
        match e {
            DeckError::Forbidden(e) => e.into(),
            DeckError::Store(e) => e.into(),
        }
    }
}

impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::NotFound => Self::NotFound("no such card".to_owned()),
            ReviewError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

/// A review outside its time window (too old, in the future, before the card) or of a
/// suspended card: 422, with the field named as validation problems do.
impl From<ReviewRejection> for ApiError {
    fn from(e: ReviewRejection) -> Self {
        let kind = match e {
            ReviewRejection::Suspended => "urn:lingo:problem:card-suspended",
            ReviewRejection::InFuture
            | ReviewRejection::TooOld
            | ReviewRejection::BeforeCardCreated => "urn:lingo:problem:review-time-out-of-bounds",
        };
        let field = match e {
            ReviewRejection::Suspended => "card_id",
            _ => "reviewed_at",
        };
        Self::Detailed(Box::new(
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY)
                .of_type(kind)
                .detail(e.to_string())
                .extension(
                    "errors",
                    [crate::problem::FieldError::new(
                        field,
                        "invalid",
                        e.to_string(),
                    )],
                ),
        ))
    }
}

/// A `client_review_id` reused for another card or rating: 409, nothing written.
impl From<ReviewConflict> for ApiError {
    fn from(e: ReviewConflict) -> Self {
        Self::Detailed(Box::new(
            Problem::new(StatusCode::CONFLICT)
                .of_type("urn:lingo:problem:client-review-id-reused")
                .detail(format!(
                    "{e}; a retry must repeat the same card and rating, a new review needs a new id"
                )),
        ))
    }
}

impl From<UndoError> for ApiError {
    fn from(e: UndoError) -> Self {
        let conflict = |kind: &str| {
            Self::Detailed(Box::new(
                Problem::new(StatusCode::CONFLICT)
                    .of_type(kind)
                    .detail(e.to_string()),
            ))
        };
        match &e {
            UndoError::NotFound => Self::NotFound(e.to_string()),
            UndoError::ResetSince => conflict("urn:lingo:problem:undo-after-reset"),
            UndoError::NotLatest => conflict("urn:lingo:problem:undo-not-latest"),
            UndoError::Unavailable(m) => Self::Unavailable(m.clone()),
        }
    }
}

impl From<JobRequestError> for ApiError {
    fn from(e: JobRequestError) -> Self {
        match e {
            JobRequestError::NotFound => Self::NotFound(e.to_string()),
            JobRequestError::Forbidden(e) => e.into(),
            JobRequestError::Queue(e) => e.into(),
        }
    }
}

impl From<OptimiseRequestError> for ApiError {
    fn from(e: OptimiseRequestError) -> Self {
        match e {
            OptimiseRequestError::Store(e) => e.into(),
            OptimiseRequestError::Queue(e) => e.into(),
        }
    }
}

impl From<UsageReportError> for ApiError {
    fn from(e: UsageReportError) -> Self {
        match e {
            UsageReportError::Forbidden(e) => e.into(),
            UsageReportError::Store(e) => Self::Unavailable(e.to_string()),
        }
    }
}

impl From<ImportRequestError> for ApiError {
    fn from(e: ImportRequestError) -> Self {
        use ImportRequestError as E;
        match e {
            E::Forbidden(e) => e.into(),
            E::Missing(_) => Self::NotFound(e.to_string()),
            E::NotAllowed(_) => Self::Forbidden(e.to_string()),
            E::NotUploadable => Self::invalid("format", e.to_string()),
            E::Empty => Self::invalid("body", e.to_string()),
            E::TooLarge { .. } => Self::Detailed(Box::new(
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE).detail(e.to_string()),
            )),
            E::Storage(_) => Self::Unavailable(e.to_string()),
            E::Queue(e) => e.into(),
        }
    }
}

impl From<lingo_learning::import_words::LearnerImportError> for ApiError {
    fn from(e: lingo_learning::import_words::LearnerImportError) -> Self {
        use lingo_learning::import_words::LearnerImportError as E;
        match e {
            E::DeckNotFound => Self::NotFound(e.to_string()),
            E::Empty => Self::invalid("body", e.to_string()),
            E::NotAnkiPackage => Self::invalid("body", e.to_string()),
            E::TooLarge { .. } => Self::Detailed(Box::new(
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE).detail(e.to_string()),
            )),
            E::Storage(_) => Self::Unavailable(e.to_string()),
            E::Store(e) => e.into(),
            E::Queue(e) => e.into(),
        }
    }
}

impl From<lingo_kernel::jobs::QueueError> for ApiError {
    fn from(e: lingo_kernel::jobs::QueueError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<lingo_users::auth::AuthError> for ApiError {
    fn from(e: lingo_users::auth::AuthError) -> Self {
        use lingo_users::auth::AuthError as E;
        match e {
            E::InvalidCredentials => typed(StatusCode::UNAUTHORIZED, "invalid-credentials", &e),
            E::InvalidRefreshToken => typed(StatusCode::UNAUTHORIZED, "refresh-token-invalid", &e),
            E::RefreshTokenReused => typed(StatusCode::UNAUTHORIZED, "refresh-token-reused", &e),
            E::NoCode => typed(StatusCode::UNAUTHORIZED, "code-invalid", &e),
            E::InvalidIdentity(_) => Self::Unauthorized(e.to_string()),
            E::EmailTaken => typed(StatusCode::CONFLICT, "email-taken", &e),
            E::PhoneTaken => typed(StatusCode::CONFLICT, "phone-taken", &e),
            E::Throttled { retry_after } => Self::Throttled(retry_after),
            E::AccountDisabled => typed(StatusCode::FORBIDDEN, "account-disabled", &e),
            E::WeakPassword(m) => Self::invalid("password", m),
            E::SmsRejected(m) => Self::invalid("phone", m),
            E::CountryNotAllowed => typed(StatusCode::FORBIDDEN, "phone-country-not-allowed", &e),
            E::Unavailable(m) => Self::Unavailable(m),
            E::InvalidEmailToken => typed(
                StatusCode::FORBIDDEN,
                "urn:lingo:problem:invalid-email-link",
                &e,
            ),
            E::AccountLinkRequired => typed(
                StatusCode::CONFLICT,
                "urn:lingo:problem:account-link-required",
                &e,
            ),
            E::IdentityLinkedElsewhere => typed(
                StatusCode::CONFLICT,
                "urn:lingo:problem:identity-linked-elsewhere",
                &e,
            ),
            E::WrongPassword => typed(
                StatusCode::FORBIDDEN,
                "urn:lingo:problem:wrong-password",
                &e,
            ),
            E::AlreadyVerified => typed(StatusCode::CONFLICT, "email-already-verified", &e),
            E::NoEmail => typed(StatusCode::CONFLICT, "no-email", &e),
        }
    }
}

/// A problem with its own stable type, so the app can act on it.
fn typed(status: StatusCode, kind: &str, e: &impl std::fmt::Display) -> ApiError {
    ApiError::typed(status, kind, e.to_string())
}

impl From<lingo_users::account::AccountError> for ApiError {
    fn from(e: lingo_users::account::AccountError) -> Self {
        use lingo_users::account::AccountError as E;
        match e {
            E::NotFound => Self::NotFound("no such account".to_owned()),
            E::EmailTaken => typed(StatusCode::CONFLICT, "email-taken", &e),
            E::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<lingo_users::administer_accounts::AdminAccountError> for ApiError {
    fn from(e: lingo_users::administer_accounts::AdminAccountError) -> Self {
        use lingo_users::administer_accounts::AdminAccountError as E;
        match e {
            E::Forbidden => typed(StatusCode::FORBIDDEN, "admin-required", &e),
            E::NotFound => Self::NotFound(e.to_string()),
            E::OwnAccount => Self::Conflict(e.to_string()),
            E::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<lingo_learning::export_deck::DeckExportError> for ApiError {
    fn from(e: lingo_learning::export_deck::DeckExportError) -> Self {
        use lingo_learning::export_deck::DeckExportError as E;
        match e {
            E::NotFound => Self::NotFound(e.to_string()),
            E::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<LearningStoreError> for ApiError {
    fn from(e: LearningStoreError) -> Self {
        match e {
            LearningStoreError::NotFound => Self::NotFound("not found".to_owned()),
            LearningStoreError::Unavailable(m) => Self::Unavailable(m),
        }
    }
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Forbidden => ApiError::Forbidden(e.to_string()),
            RequestError::UnknownWord => ApiError::NotFound("no word with this id".into()),
            RequestError::QuotaExceeded { retry_after } => ApiError::Detailed(Box::new(
                Problem::new(StatusCode::TOO_MANY_REQUESTS)
                    .of_type("content-quota-exceeded")
                    .detail(format!(
                        "today's limit of new content is reached; retry in {} s",
                        retry_after.as_secs().max(1)
                    ))
                    .extension("retry_after", retry_after.as_secs().max(1)),
            )),
            RequestError::GenerationFailed {
                reason,
                retry_after,
            } => {
                tracing::warn!(%reason, "content generation failed");
                ApiError::Detailed(Box::new(
                    Problem::new(StatusCode::SERVICE_UNAVAILABLE)
                        .of_type("urn:lingo:problem:generation-failed")
                        .detail(format!(
                            "content generation failed; it is tried again on a request after {} s",
                            retry_after.as_secs().max(1)
                        ))
                        .extension("retry_after", retry_after.as_secs().max(1)),
                ))
            }
            RequestError::Unavailable(reason) => ApiError::Unavailable(reason),
        }
    }
}

impl From<LookupError> for ApiError {
    fn from(e: LookupError) -> Self {
        match e {
            LookupError::Invalid(reason) => ApiError::invalid("lemma", reason),
            LookupError::NotFound { close_matches } => ApiError::Detailed(Box::new(
                Problem::new(StatusCode::NOT_FOUND)
                    .of_type("word-not-found")
                    .detail("no dictionary knows this word")
                    .extension("close_matches", close_matches),
            )),
            LookupError::Unavailable(reason) => {
                ApiError::Unavailable(format!("the dictionary is unavailable: {reason}"))
            }
        }
    }
}

impl From<AnalyseError> for ApiError {
    fn from(e: AnalyseError) -> Self {
        match e {
            AnalyseError::Store(e) => ApiError::Unavailable(e.to_string()),
            other => ApiError::invalid("text", other.to_string()),
        }
    }
}

/// A quiz that cannot be built from what the learner has now: 409 (the request is valid, the
/// learner's cards do not allow it yet) with a problem type per cause (docs/learning.md).
fn quiz_unbuildable(kind: &str, e: &QuizError) -> ApiError {
    ApiError::Detailed(Box::new(
        Problem::new(StatusCode::CONFLICT)
            .of_type(kind)
            .detail(e.to_string()),
    ))
}

impl From<QuizError> for ApiError {
    fn from(e: QuizError) -> Self {
        match e {
            QuizError::NotFound => ApiError::NotFound("no such quiz".to_owned()),
            QuizError::NoCards => quiz_unbuildable("quiz-no-cards", &e),
            QuizError::NoMeanings { .. } => quiz_unbuildable("quiz-no-meanings", &e),
            QuizError::NoExamples { .. } => quiz_unbuildable("quiz-no-examples", &e),
            QuizError::NoAudio { .. } => quiz_unbuildable("quiz-no-audio", &e),
            QuizError::TooFewDistractors { .. } => quiz_unbuildable("quiz-too-few-distractors", &e),
            QuizError::Expired => typed(
                StatusCode::CONFLICT,
                "quiz-expired",
                &"the quiz has expired",
            ),
            QuizError::AlreadyAnswered(first) => ApiError::Detailed(Box::new(
                Problem::new(StatusCode::CONFLICT)
                    .of_type("quiz-already-answered")
                    .detail("already answered; `results` holds the first answers")
                    .extension(
                        "results",
                        first.iter().map(ResultView::from).collect::<Vec<_>>(),
                    ),
            )),
            QuizError::NoSuchQuestion(_) | QuizError::Repeated(_) | QuizError::WrongShape(_) => {
                ApiError::invalid("answers", e.to_string())
            }
            QuizError::Unavailable(m) => ApiError::Unavailable(m),
        }
    }
}

impl From<lingo_dictionary::ports::StoreError> for ApiError {
    fn from(e: lingo_dictionary::ports::StoreError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<lingo_dictionary::speech::render_speech::AudioError> for ApiError {
    fn from(e: lingo_dictionary::speech::render_speech::AudioError) -> Self {
        match e {
            lingo_dictionary::speech::render_speech::AudioError::NotFound => {
                ApiError::NotFound("no audio with this id".into())
            }
            lingo_dictionary::speech::render_speech::AudioError::Store(e) => e.into(),
        }
    }
}

/// A cursor not issued here: 422 on `since`; one older than the tombstones: 410.
impl From<lingo_learning::sync::SyncError> for ApiError {
    fn from(e: lingo_learning::sync::SyncError) -> Self {
        use lingo_learning::sync::SyncError;
        match e {
            // A well-formed request whose cursor this server does not know: start over.
            SyncError::InvalidCursor => {
                Self::typed(StatusCode::CONFLICT, "sync-cursor-invalid", e.to_string())
            }
            SyncError::CursorExpired => Self::Detailed(Box::new(
                Problem::new(StatusCode::GONE)
                    .of_type("urn:lingo:problem:sync-cursor-expired")
                    .detail(e.to_string()),
            )),
            SyncError::Store(e) => e.into(),
        }
    }
}
