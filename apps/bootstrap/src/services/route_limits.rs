//! The api's rate limits per route class, on the shared Redis limiter: one throttle for
//! signed-in callers (counted per account) and one for anonymous callers (per client address,
//! at most `LINGO_RATE_LIMIT_ANONYMOUS_PER_MINUTE`) in each class.

use crate::config::RouteLimits;
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

fn per_minute(max: u32) -> RateLimit {
    RateLimit::per(max, Duration::from_secs(60))
}

impl RouteThrottles {
    pub fn new(limiter: Arc<dyn RateLimiter>, limits: &RouteLimits) -> Self {
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
