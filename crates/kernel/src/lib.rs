//! The shared kernel of Lingo's domain crates: identifiers, language codes, the clock,
//! pagination, the cache port and the job-queue port. No I/O and no framework here.

pub mod batches;
pub mod cache;
pub mod caller;
pub mod cefr;
pub mod client_address;
pub mod client_version;
pub mod clock;
pub mod failed_attempts;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod language;
pub mod leased_rate_limit;
pub mod near_cache;
pub mod pagination;
pub mod rate_limit;
pub mod retry_delay;

pub use caller::{Caller, Forbidden};
pub use cefr::CefrLevel;
pub use client_address::{ClientAddress, IpNetwork, TrustedProxies};
pub use clock::{Clock, FixedClock, SystemClock};
pub use ids::{CardId, DeckId, DeviceId, NotificationId, QuizId, SystemDeckId, UserId, WordId};
pub use language::{LanguageCode, LanguageCodeError};
