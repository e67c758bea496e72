use crate::problem::Problem;
use crate::routes::{
    admin_dictionary, admin_jobs, admin_users, admin_words, audio, auth, cards, content,
    credentials, decks, devices, dictionary, enums, exports, health, jobs, learner_import, me,
    notifications, quizzes, reviews, stats, study, sync,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The OpenAPI 3.1 document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Lingo API", description = "Backend of the Lingo vocabulary-learning app. \
        Errors are RFC 9457 problem documents (application/problem+json)."),
    paths(health::health, health::ready, jobs::get_job, admin_jobs::list_dead,
        admin_jobs::requeue_dead, admin_jobs::enqueue_echo, admin_users::disable,
        admin_users::enable, admin_users::grant_admin, admin_users::revoke_admin,
        admin_users::audit, admin_words::private_words, admin_words::confirm, auth::register, auth::login,
        auth::request_phone_code, auth::verify_phone_code, auth::google, auth::refresh,
        auth::logout, auth::logout_all, credentials::verify_email, credentials::forgot_password,
        credentials::reset_password, credentials::change_password, credentials::change_email,
        credentials::resend_verification, credentials::link_google, me::get, me::update, me::delete, exports::account_now, exports::request_account, exports::download_account, exports::deck, me::optimise,
        devices::register, devices::list, devices::remove, notifications::list, notifications::mark_read,
        decks::create, decks::list, decks::get, decks::update, decks::delete, decks::add_words, decks::create_system, decks::add_system_words,
        decks::list_system, decks::subscribe, decks::unsubscribe, learner_import::upload,
        cards::list, cards::edit, reviews::review, reviews::batch, reviews::undo, cards::suspend, cards::unsuspend, cards::bury, cards::reset, cards::move_card, study::queue, study::session, stats::stats, sync::pull,
        quizzes::create, quizzes::get, quizzes::answer,
        dictionary::lookup, dictionary::search, dictionary::analyse, dictionary::analyse_alias, admin_dictionary::import_path,
        admin_dictionary::upload, admin_dictionary::reconcile, content::get, content::regenerate, content::usage,
        audio::get),
    components(schemas(Problem, health::Health, health::Readiness, health::StoreStatus,
        jobs::JobView, jobs::Progress, admin_jobs::DeadJobView, admin_jobs::EchoRequest,
        admin_users::AccountStandingView, admin_users::AuditEntryView,
        admin_words::PrivateWordView, admin_words::ConfirmationView,
        jobs::JobAccepted, dictionary::AnalyseRequest, content::GenerationPending, content::UsageView, admin_dictionary::ImportRequest,
        admin_dictionary::ReconcileRequest, enums::ImportFormatName)),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Liveness and readiness"),
        (name = "jobs", description = "Background jobs started by the caller"),
        (name = "auth", description = "Sign-up, sign-in and tokens (rate-limited per client)"),
        (name = "me", description = "The signed-in learner's account and profile"),
        (name = "learning", description = "Decks, cards, reviews, the study queue and statistics"),
        (name = "content", description = "Learner content generated for a word, language pair and level"),
        (name = "dictionary", description = "Word lookups, search and the vocabulary of a text"),
        (name = "admin", description = "Administrators only"),
    )
)]
pub struct ApiDoc;

/// The document as served: generated, then completed (`contract::complete`).
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    crate::contract::complete(&mut doc);
    doc
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
        }
    }
}
