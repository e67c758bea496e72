//! The api's rate limits per route class, on the shared Redis limiter: one throttle for
//! signed-in callers (counted per account) and one for anonymous callers (per client address,
//! at most `LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE`) in each class. Tokens are leased from Redis
//! in batches of up to `LEASE_BATCH` per (client, class) and spent in-process
//! (`LeasedRateLimiter`): a busy client costs one round trip per batch, and a limit is exceeded
//! by at most one batch per replica.

use crate::config::RouteLimits;
use lingo_kernel::Clock;
use lingo_kernel::leased_rate_limit::LeasedRateLimiter;
use lingo_kernel::rate_limit::{RateLimit, RateLimiter, RequestThrottle};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    /// Sign-in, sign-up, codes, logout (not refresh): per client address only.
    Auth,
    /// `GET /dictionary/{lang}/words/{lemma}`: a miss may call the external dictionaries.
    Lookup,
    /// `GET /dictionary/{lang}/search`.
    Search,
    /// `POST /texts/analyse` (and its alias `/texts/analyze`).
    Analyse,
    /// `GET /words/{id}/content` (reading and starting generations).
    Content,
    /// `/quizzes…`.
    Quizzes,
    /// `POST /reviews/batch`.
    Batches,
}

impl RouteClass {
    const ALL: [Self; 7] = [
        Self::Auth,
        Self::Lookup,
        Self::Search,
        Self::Analyse,
        Self::Content,
        Self::Quizzes,
        Self::Batches,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Lookup => "lookup",
            Self::Search => "search",
            Self::Analyse => "analyse",
            Self::Content => "content",
            Self::Quizzes => "quizzes",
            Self::Batches => "batches",
        }
    }

    fn per_minute(self, limits: &RouteLimits) -> u32 {
        match self {
            Self::Auth => limits.auth,
            Self::Lookup => limits.lookup,
            Self::Search => limits.search,
            Self::Analyse => limits.analyse,
            Self::Content => limits.content,
            Self::Quizzes => limits.quizzes,
            Self::Batches => limits.batches,
        }
    }
}

#[derive(Clone)]
struct ClassThrottles {
    account: RequestThrottle,
    anonymous: RequestThrottle,
}

/// Every route class's throttles.
#[derive(Clone)]
pub struct RouteThrottles {
    classes: Arc<[ClassThrottles; 7]>,
}

/// The most tokens a replica leases for one (client, class) at once; also at most a twentieth of
/// the class's limit (so 300 lookups a minute lease 15, 60 anonymous ones 3, sign-in none).
pub const LEASE_BATCH: u32 = 32;

fn per_minute(max: u32) -> RateLimit {
    RateLimit::per(max, Duration::from_secs(60))
}

impl RouteThrottles {
    pub fn new(limiter: Arc<dyn RateLimiter>, clock: Arc<dyn Clock>, limits: &RouteLimits) -> Self {
        let limiter: Arc<dyn RateLimiter> =
            Arc::new(LeasedRateLimiter::new(limiter, clock, LEASE_BATCH));
        let classes = RouteClass::ALL.map(|class| {
            let max = class.per_minute(limits);
            // Sign-in is anonymous by nature: its one limit is the address's.
            let anonymous = match class {
                RouteClass::Auth => max,
                _ => max.min(limits.anonymous),
            };
            ClassThrottles {
                account: RequestThrottle::new(limiter.clone(), per_minute(max)),
                anonymous: RequestThrottle::new(limiter.clone(), per_minute(anonymous)),
            }
        });
        Self {
            classes: Arc::new(classes),
        }
    }

    /// The throttle of `class` for a signed-in caller (keyed by account).
    pub fn for_account(&self, class: RouteClass) -> &RequestThrottle {
        &self.classes[class as usize].account
    }

    /// The throttle of `class` for an anonymous caller (keyed by client address).
    pub fn for_anonymous(&self, class: RouteClass) -> &RequestThrottle {
        &self.classes[class as usize].anonymous
    }
}
