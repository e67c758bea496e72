//! A `WordRef` to a `words` row. What a learner adds by lemma is private to them until a
//! dictionary source or an administrator confirms it (migration `private_words`).

use crate::schema::{cards, words};
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lingo_dictionary::normalise::fold_key;
use lingo_kernel::{UserId, WordId};
use lingo_learning::ports::WordRef;
use uuid::Uuid;

/// Who adds the word: a learner (to a deck of their own) or an administrator (to a system deck,
/// which confirms the word for everyone).
#[derive(Debug, Clone, Copy)]
pub(super) enum AddedBy {
    Learner(UserId),
    Admin,
}

/// A learner refers by id only to a public word or one they hold a card for (`NotFound`
/// otherwise, as for a word that does not exist); a new lemma of theirs is inserted private. An
/// administrator's word becomes public.
pub(super) async fn resolve_word(
    conn: &mut AsyncPgConnection,
    word: &WordRef,
    by: AddedBy,
) -> Result<WordId, diesel::result::Error> {
    let id = match (word, by) {
        (WordRef::Id(id), AddedBy::Learner(owner)) => {
            let own_card = exists(
                cards::table
                    .filter(cards::word_id.eq(words::id))
                    .filter(cards::user_id.eq(owner.as_uuid())),
            );
            words::table
                .filter(words::id.eq(id.as_uuid()))
                .filter(words::visibility.eq("public").or(own_card))
                .select(words::id)
                .first::<Uuid>(conn)
                .await?
        }
        (WordRef::Id(id), AddedBy::Admin) => {
            diesel::update(words::table.filter(words::id.eq(id.as_uuid())))
                .set(words::visibility.eq("public"))
                .returning(words::id)
                .get_result::<Uuid>(conn)
                .await?
        }
        (WordRef::Lemma { language, lemma }, by) => {
            let (visibility, added_by) = match by {
                AddedBy::Learner(owner) => ("private", Some(owner.as_uuid())),
                AddedBy::Admin => ("public", None),
            };
            let insert = diesel::insert_into(words::table)
                .values((
                    words::id.eq(Uuid::now_v7()),
                    words::language.eq(language.as_str()),
                    words::lemma.eq(lemma.as_str()),
                    words::lemma_key.eq(fold_key(lemma.as_str())),
                    words::visibility.eq(visibility),
                    words::added_by.eq(added_by),
                ))
                .on_conflict((words::language, words::lemma, words::part_of_speech))
                .do_update();
            // A learner's lemma leaves an existing row as it is (a public word stays public);
            // an administrator's confirms it.
            match by {
                AddedBy::Learner(_) => {
                    insert
                        .set(words::language.eq(language.as_str()))
                        .returning(words::id)
                        .get_result::<Uuid>(conn)
                        .await?
                }
                AddedBy::Admin => {
                    insert
                        .set(words::visibility.eq("public"))
                        .returning(words::id)
                        .get_result::<Uuid>(conn)
                        .await?
                }
            }
        }
    };
    Ok(WordId::from_uuid(id))
}
