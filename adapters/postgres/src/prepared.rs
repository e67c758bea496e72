//! `sql_query` with its prepared statement kept per connection.
//!
//! diesel marks every `sql_query` unsafe to cache, so each run costs a parse and plan (a
//! prepare and an execute: two round trips) on top of the work. `Prepared` keeps the
//! statement in the connection's cache keyed by its SQL text and bind types, as typed diesel
//! queries are. Only for statements whose text is fixed at the call site (no values spliced in,
//! no per-call lists of placeholders): the cache has one entry per distinct text. Name the
//! columns: a cached `SELECT *` would fail ("cached plan must not change result type") after
//! a migration adds a column under a running server.

use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

pub(crate) struct Prepared<Q>(pub Q);

impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}
