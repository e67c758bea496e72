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

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        display_name -> Text,
        role -> Text,
        status -> Text,
        profile -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    user_identities (provider, subject) {
        provider -> Text,
        subject -> Text,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        family_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(user_identities -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, user_identities, refresh_tokens);
