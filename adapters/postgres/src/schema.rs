// Kept by hand in step with migrations/; one `table!` per table.

diesel::table! {
    jobs (id) {
        id -> Int8,
        job_id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        owner_id -> Nullable<Uuid>,
        max_attempts -> Int4,
        trace -> Jsonb,
        created_at -> Timestamptz,
        dispatched_at -> Nullable<Timestamptz>,
        dispatch_attempts -> Int4,
        last_error -> Nullable<Text>,
        status -> Text,
        attempts -> Int4,
        updated_at -> Timestamptz,
        next_attempt_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        result -> Nullable<Jsonb>,
        check_after -> Timestamptz,
        lost_at -> Nullable<Timestamptz>,
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
        token_generation -> Int8,
        email_verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        purpose -> Text,
        email -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
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
        family_started_at -> Timestamptz,
    }
}

diesel::table! {
    account_audit_log (id) {
        id -> Int8,
        actor_id -> Nullable<Uuid>,
        actor -> Text,
        action -> Text,
        target_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(user_identities -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));

diesel::table! {
    words (id) {
        id -> Uuid,
        language -> Text,
        lemma -> Text,
        part_of_speech -> Text,
        created_at -> Timestamptz,
        lemma_key -> Text,
        zipf -> Nullable<Float8>,
        cefr -> Nullable<Text>,
        sources -> Array<Text>,
        updated_at -> Timestamptz,
        visibility -> Text,
        added_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    word_frequencies (language, word_key) {
        language -> Text,
        word_key -> Text,
        zipf -> Float8,
    }
}

diesel::table! {
    lemma_forms (language, form_key, lemma) {
        language -> Text,
        form_key -> Text,
        lemma -> Text,
    }
}

diesel::table! {
    dictionary_imports (job_id) {
        job_id -> Uuid,
        checkpoint -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    decks (id) {
        id -> Uuid,
        owner_id -> Nullable<Uuid>,
        name -> Text,
        description -> Text,
        card_types -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        kind -> Text,
        source_deck_id -> Nullable<Uuid>,
        published_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    system_deck_words (deck_id, word_id) {
        deck_id -> Uuid,
        word_id -> Uuid,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    cards (id) {
        id -> Uuid,
        user_id -> Uuid,
        deck_id -> Uuid,
        word_id -> Uuid,
        card_type -> Text,
        state -> Text,
        step -> Nullable<Int4>,
        stability -> Nullable<Float8>,
        difficulty -> Nullable<Float8>,
        due -> Timestamptz,
        last_review -> Nullable<Timestamptz>,
        reps -> Int4,
        lapses -> Int4,
        suspended -> Bool,
        buried_until -> Nullable<Timestamptz>,
        leech -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        reset_at -> Nullable<Timestamptz>,
        note -> Nullable<Text>,
        translation -> Nullable<Text>,
        tags -> Array<Text>,
        source_sentence -> Nullable<Text>,
    }
}

diesel::table! {
    fsrs_parameters (user_id, version) {
        user_id -> Uuid,
        version -> Int4,
        parameters -> Array<Float8>,
        log_loss -> Nullable<Float8>,
        reviews -> Int4,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_logs (id) {
        id -> Int8,
        user_id -> Uuid,
        card_id -> Uuid,
        client_review_id -> Text,
        rating -> Int2,
        reviewed_at -> Timestamptz,
        duration_ms -> Nullable<Int4>,
        parameters_version -> Int4,
        before -> Jsonb,
        after -> Jsonb,
        undone -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    content_spend (day) {
        day -> Date,
        spent_micros -> Int8,
    }
}

diesel::table! {
    content_usage (day, generator, model) {
        day -> Date,
        generator -> Text,
        model -> Text,
        requests -> Int8,
        prompt_tokens -> Int8,
        completion_tokens -> Int8,
    }
}

diesel::table! {
    quizzes (id) {
        id -> Uuid,
        user_id -> Uuid,
        deck_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    quiz_questions (quiz_id, position) {
        quiz_id -> Uuid,
        position -> Int4,
        kind -> Text,
        card_ids -> Array<Uuid>,
        prompt -> Jsonb,
        expected -> Jsonb,
        answered_at -> Nullable<Timestamptz>,
        result -> Nullable<Jsonb>,
    }
}

diesel::table! {
    content_drafts (content_key) {
        content_key -> Text,
        version -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(quiz_questions -> quizzes (quiz_id));
diesel::joinable!(cards -> decks (deck_id));
diesel::joinable!(cards -> words (word_id));
diesel::joinable!(review_logs -> cards (card_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_identities,
    refresh_tokens,
    email_tokens,
    words,
    decks,
    cards,
    review_logs,
    fsrs_parameters,
    system_deck_words,
    quizzes,
    quiz_questions
);
