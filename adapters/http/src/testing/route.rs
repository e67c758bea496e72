//! Which requests a script answers: method and path, optionally a predicate on the query or
//! the body.

use crate::testing::recorded::Recorded;
use crate::testing::reply::Reply;
use std::fmt;
use std::sync::Arc;

type Predicate = Arc<dyn Fn(&Recorded) -> bool + Send + Sync>;

/// A route and its script: the n-th matching request gets the n-th reply, every request past
/// the end the last one.
#[derive(Clone)]
pub struct Route {
    method: Option<String>,
    path: Option<String>,
    predicates: Vec<Predicate>,
    pub(crate) script: Vec<Reply>,
}

impl Route {
    /// Requests with `method` (any case) for exactly `path` (percent-encoding as sent).
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: Some(method.to_ascii_uppercase()),
            path: Some(path.to_owned()),
            predicates: Vec::new(),
            script: Vec::new(),
        }
    }

    pub fn get(path: &str) -> Self {
        Self::new("GET", path)
    }

    pub fn post(path: &str) -> Self {
        Self::new("POST", path)
    }

    /// Every request: put it last, as the fallback.
    pub fn any() -> Self {
        Self {
            method: None,
            path: None,
            predicates: Vec::new(),
            script: Vec::new(),
        }
    }

    /// Only requests whose query string (without `?`, empty if none) satisfies `accepts`.
    pub fn when_query(mut self, accepts: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.predicates.push(Arc::new(move |request: &Recorded| {
            accepts(request.query.as_deref().unwrap_or(""))
        }));
        self
    }

    /// Only requests whose body satisfies `accepts`.
    pub fn when_body(mut self, accepts: impl Fn(&[u8]) -> bool + Send + Sync + 'static) -> Self {
        self.predicates
            .push(Arc::new(move |request: &Recorded| accepts(&request.body)));
        self
    }

    /// Answers `reply` to every matching request.
    pub fn reply(self, reply: Reply) -> Self {
        self.replies(vec![reply])
    }

    /// Answers the matching requests with `script` in turn, the last repeated for ever.
    pub fn replies(mut self, script: Vec<Reply>) -> Self {
        self.script = script;
        self
    }

    pub(crate) fn matches(&self, request: &Recorded) -> bool {
        self.method.as_ref().is_none_or(|m| *m == request.method)
            && self.path.as_ref().is_none_or(|p| *p == request.path)
            && self.predicates.iter().all(|accepts| accepts(request))
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("predicates", &self.predicates.len())
            .field("script", &self.script)
            .finish()
    }
}
