pub mod admin_dictionary;
pub mod admin_jobs;
pub mod admin_users;
pub mod admin_words;
pub mod audio;
pub mod auth;
pub(crate) mod binary;
mod card_view;
pub mod cards;
pub mod content;
pub mod credentials;
pub mod decks;
pub mod devices;
pub mod dictionary;
pub mod docs;
pub(crate) mod enums;
pub mod exports;
pub(crate) mod fields;
pub mod health;
pub mod job_result;
pub mod jobs;
pub mod learner_import;
pub mod list;
pub mod me;
pub mod metrics;
pub mod notifications;
mod profile_dto;
pub mod quizzes;
mod response_schemas;
pub mod reviews;
pub mod stats;
pub mod study;
pub mod sync;

use crate::rate_limit::{self, RouteClass};
use actix_web::middleware::from_fn;
use actix_web::web;

/// The rate limit of a route class, as a middleware.
macro_rules! limited {
    ($class:expr) => {
        from_fn(|req, next| rate_limit::limit($class, req, next))
    };
}

/// Each path is one resource, so a known path with another method answers 405, not 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(web::resource("/health").get(health::health))
            .service(web::resource("/ready").get(health::ready))
            // The hot paths first: resources are tried in order, each one with a path parameter
            // by a regular expression (a lookup tried ~40 of them: ~30 % of its instructions).
            .service(web::resource("/reviews").post(reviews::review))
            .service(web::resource("/study/queue").get(study::queue))
            .service(web::resource("/study/session").get(study::session))
            .service(
                web::resource("/dictionary/{lang}/words/{lemma}")
                    .wrap(limited!(RouteClass::Lookup))
                    .get(dictionary::lookup),
            )
            .service(web::resource("/openapi.json").get(docs::openapi_json))
            .service(web::resource("/jobs/{id}").get(jobs::get_job))
            .service(web::resource("/admin/jobs/dead").get(admin_jobs::list_dead))
            .service(web::resource("/admin/jobs/dead/{id}/requeue").post(admin_jobs::requeue_dead))
            .service(web::resource("/admin/jobs/echo").post(admin_jobs::enqueue_echo))
            .service(web::resource("/admin/users/{id}/disable").post(admin_users::disable))
            .service(web::resource("/admin/users/{id}/enable").post(admin_users::enable))
            .service(web::resource("/admin/users/{id}/grant-admin").post(admin_users::grant_admin))
            .service(
                web::resource("/admin/users/{id}/revoke-admin").post(admin_users::revoke_admin),
            )
            .service(web::resource("/admin/users/{id}/audit").get(admin_users::audit))
            .service(web::resource("/admin/words/private").get(admin_words::private_words))
            .service(web::resource("/admin/words/{id}/confirm").post(admin_words::confirm))
            // Refresh is limited per token family in the use case, not per address.
            .service(web::resource("/auth/refresh").post(auth::refresh))
            .service(
                web::scope("/auth")
                    .wrap(limited!(RouteClass::Auth))
                    .service(web::resource("/register").post(auth::register))
                    .service(web::resource("/login").post(auth::login))
                    .service(web::resource("/phone/request").post(auth::request_phone_code))
                    .service(web::resource("/phone/verify").post(auth::verify_phone_code))
                    .service(web::resource("/google").post(auth::google))
                    .service(web::resource("/logout").post(auth::logout))
                    .service(web::resource("/logout-all").post(auth::logout_all))
                    .service(web::resource("/email/verify").post(credentials::verify_email))
                    .service(web::resource("/password/forgot").post(credentials::forgot_password))
                    .service(web::resource("/password/reset").post(credentials::reset_password)),
            )
            .service(
                web::resource("/me")
                    .get(me::get)
                    .patch(me::update)
                    .delete(me::delete),
            )
            .service(
                web::resource("/me/export")
                    .get(exports::account_now)
                    .post(exports::request_account),
            )
            .service(web::resource("/me/export/{id}").get(exports::download_account))
            .service(web::resource("/me/password").post(credentials::change_password))
            .service(web::resource("/me/email").post(credentials::change_email))
            .service(web::resource("/me/email/verification").post(credentials::resend_verification))
            .service(web::resource("/me/identities/google").post(credentials::link_google))
            .service(web::resource("/me/fsrs/optimise").post(me::optimise))
            .service(
                web::resource("/me/devices")
                    .get(devices::list)
                    .put(devices::register),
            )
            .service(web::resource("/me/devices/{id}").delete(devices::remove))
            .service(web::resource("/me/notifications").get(notifications::list))
            .service(web::resource("/me/notifications/{id}/read").post(notifications::mark_read))
            .service(web::resource("/decks").get(decks::list).post(decks::create))
            .service(
                web::resource("/decks/{id}")
                    .get(decks::get)
                    .patch(decks::update)
                    .delete(decks::delete),
            )
            .service(web::resource("/decks/{id}/words").post(decks::add_words))
            .service(
                web::resource("/decks/{id}/imports")
                    .wrap(limited!(RouteClass::Batches))
                    .post(learner_import::upload),
            )
            .service(web::resource("/decks/{id}/export").get(exports::deck))
            .service(web::resource("/admin/decks").post(decks::create_system))
            .service(web::resource("/admin/decks/{id}/words").post(decks::add_system_words))
            .service(web::resource("/system-decks").get(decks::list_system))
            .service(
                web::resource("/system-decks/{id}/subscription")
                    .post(decks::subscribe)
                    .delete(decks::unsubscribe),
            )
            .service(web::resource("/cards").get(cards::list))
            .service(web::resource("/cards/{id}").patch(cards::edit))
            .service(web::resource("/cards/{id}/undo").post(reviews::undo))
            .service(web::resource("/cards/{id}/suspend").post(cards::suspend))
            .service(web::resource("/cards/{id}/unsuspend").post(cards::unsuspend))
            .service(web::resource("/cards/{id}/bury").post(cards::bury))
            .service(web::resource("/cards/{id}/reset").post(cards::reset))
            .service(web::resource("/cards/{id}/move").post(cards::move_card))
            .service(
                web::resource("/reviews/batch")
                    .wrap(limited!(RouteClass::Batches))
                    .post(reviews::batch),
            )
            .service(web::resource("/stats").get(stats::stats))
            .service(web::resource("/sync").get(sync::pull))
            .service(
                web::resource("/quizzes")
                    .wrap(limited!(RouteClass::Quizzes))
                    .post(quizzes::create),
            )
            .service(
                web::resource("/quizzes/{id}")
                    .wrap(limited!(RouteClass::Quizzes))
                    .get(quizzes::get),
            )
            .service(
                web::resource("/quizzes/{id}/answers")
                    .wrap(limited!(RouteClass::Quizzes))
                    .post(quizzes::answer),
            )
            .service(
                web::resource("/dictionary/{lang}/search")
                    .wrap(limited!(RouteClass::Search))
                    .get(dictionary::search),
            )
            .service(
                web::resource("/texts/analyse")
                    .wrap(limited!(RouteClass::Analyse))
                    .post(dictionary::analyse),
            )
            .service({
                #[allow(deprecated)]
                let alias = dictionary::analyse_alias;
                web::resource("/texts/analyze")
                    .wrap(limited!(RouteClass::Analyse))
                    .post(alias)
            })
            .service(
                web::resource("/audio/{id}")
                    .wrap(limited!(RouteClass::Lookup))
                    .get(audio::get),
            )
            .service(
                web::resource("/words/{id}/content")
                    .wrap(limited!(RouteClass::Content))
                    .get(content::get),
            )
            .service(
                web::resource("/admin/words/{id}/content/regenerate").post(content::regenerate),
            )
            .service(web::resource("/admin/content/usage").get(content::usage))
            .service(web::resource("/admin/dictionary/imports").post(admin_dictionary::import_path))
            .service(
                web::resource("/admin/dictionary/imports/upload").post(admin_dictionary::upload),
            )
            .service(
                web::resource("/admin/dictionary/reconcile").post(admin_dictionary::reconcile),
            ),
    )
    .service(web::resource("/docs").get(docs::page))
    .service(web::resource("/docs/{asset}").get(docs::asset));
}
