// Kept by hand in step with migrations/; one `table!` per table.

diesel::table! {
    outbox (id) {
        id -> Int8,
        job_id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        owner_id -> Nullable<Uuid>,
        max_attempts -> Int4,
        trace -> Jsonb,
        created_at -> Timestamptz,
        relayed_at -> Nullable<Timestamptz>,
        relay_attempts -> Int4,
        last_error -> Nullable<Text>,
    }
}
