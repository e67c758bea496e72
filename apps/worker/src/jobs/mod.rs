//! The job types the worker runs today, and their registration. Later features add theirs here.

mod export_account;
mod generate_content;
mod import_dictionary;
mod import_words;
mod optimise_fsrs;
mod outbox_purge;
mod prepare_content;
mod propagate_deck;
mod purge_notifications;
mod purge_tombstones;
mod purge_user;
mod queue_stats;
mod reconcile_words;
mod render_speech;
mod send_reminders;
mod system_echo;

pub use lingo_kernel::jobs::system::{PurgeOutbox, QueueStatsReport, SystemEcho};

/// What the job handlers need, built by the composition root.
pub use lingo_bootstrap::JobDeps;

use crate::Registry;
use lingo_content::generate_content::GenerateContent;
use lingo_dictionary::import::ImportDictionary;
use lingo_dictionary::reconcile::ReconcileWords;
use lingo_dictionary::speech::RenderSpeech;
use lingo_kernel::jobs::Job;
use lingo_kernel::jobs::{JobContext, JobError};
use lingo_learning::deck::PropagateSystemDeck;
use lingo_learning::import_words::ImportWords;
use lingo_learning::optimise::{OptimiseAllFsrs, OptimiseFsrs};
use lingo_learning::prepare_content::PrepareContent;
use lingo_learning::purge_tombstones::PurgeTombstones;
use lingo_notifications::purge_notifications::PurgeNotifications;
use lingo_notifications::send_reminders::SendReminders;
use lingo_users::account::PurgeUserData;
use lingo_users::export_account::{ExportAccount, PurgeExpiredExports};
use serde::Serialize;
use std::future::Future;

/// Names of every registered job type (the scheduler checks its entries against this).
pub const KNOWN: &[&str] = &[
    SystemEcho::NAME,
    PurgeOutbox::NAME,
    QueueStatsReport::NAME,
    PurgeUserData::NAME,
    OptimiseFsrs::NAME,
    OptimiseAllFsrs::NAME,
    PropagateSystemDeck::NAME,
    ImportDictionary::NAME,
    ReconcileWords::NAME,
    GenerateContent::NAME,
    PrepareContent::NAME,
    RenderSpeech::NAME,
    SendReminders::NAME,
    ImportWords::NAME,
    ExportAccount::NAME,
    PurgeExpiredExports::NAME,
    PurgeTombstones::NAME,
    PurgeNotifications::NAME,
];

/// Registers a handler that needs the shared dependencies.
fn with_deps<J, F, Fut, R>(registry: &mut Registry, deps: &JobDeps, handler: F)
where
    J: Job,
    F: Fn(JobDeps, JobContext, J) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R, JobError>> + Send + 'static,
    R: Serialize,
{
    let deps = deps.clone();
    registry.register(move |ctx, job| handler(deps.clone(), ctx, job));
}

pub fn registry(deps: JobDeps) -> Registry {
    let mut registry = Registry::new();
    registry.register(system_echo::run);
    with_deps(&mut registry, &deps, outbox_purge::run);
    with_deps(&mut registry, &deps, purge_user::run);
    with_deps(&mut registry, &deps, optimise_fsrs::run);
    with_deps(&mut registry, &deps, optimise_fsrs::run_all);
    with_deps(&mut registry, &deps, propagate_deck::run);
    with_deps(&mut registry, &deps, queue_stats::run);
    with_deps(&mut registry, &deps, import_dictionary::run);
    with_deps(&mut registry, &deps, reconcile_words::run);
    with_deps(&mut registry, &deps, generate_content::run);
    with_deps(&mut registry, &deps, prepare_content::run);
    with_deps(&mut registry, &deps, render_speech::run);
    with_deps(&mut registry, &deps, send_reminders::run);
    with_deps(&mut registry, &deps, import_words::run);
    with_deps(&mut registry, &deps, export_account::run);
    with_deps(&mut registry, &deps, export_account::purge);
    with_deps(&mut registry, &deps, purge_tombstones::run);
    with_deps(&mut registry, &deps, purge_notifications::run);
    registry
}
