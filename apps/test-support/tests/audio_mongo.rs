//! Pronunciation audio in GridFS on the MongoDB-wire server used everywhere else: stored once,
//! read back whole (several chunks), listed in one query, and a corrupted file is an error.

use chrono::{TimeZone, Utc};
use lingo_dictionary::ports::StoreError;
use lingo_dictionary::speech::render_speech::digest;
use lingo_dictionary::speech::{
    AudioKey, AudioProvenance, AudioStore, SpeechText, StoredAudio, Voice,
};
use lingo_kernel::LanguageCode;
use lingo_mongo::MongoAudioStore;
use lingo_test_support::TestStores;
use mongodb::bson::{Document, doc};

fn audio(text: &str, bytes: Vec<u8>) -> StoredAudio {
    let key = AudioKey {
        language: LanguageCode::parse("en").expect("language"),
        text: SpeechText::parse(text).expect("text"),
        voice: Voice::parse("en-us").expect("voice"),
    };
    StoredAudio {
        id: key.id(),
        key,
        content_type: "audio/ogg".into(),
        digest: digest(&bytes),
        bytes,
        provenance: AudioProvenance {
            engine: "espeak-ng+opusenc".into(),
            created_at: Utc.timestamp_opt(1_700_000_000, 0).single().expect("time"),
            rendered_by: "job:test".into(),
        },
    }
}

#[tokio::test]
async fn audio_is_stored_once_in_gridfs_and_read_back_whole() {
    let t = TestStores::new(&[]).await;
    let store = MongoAudioStore::new(&t.stores.mongo);
    // Larger than one 255 KiB chunk, so the file spans chunks.
    let bytes: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
    let house = audio("house", bytes.clone());
    assert_eq!(store.get(&house.id).await.expect("read"), None);
    store.put(&house).await.expect("stored");
    // A rerun with other bytes keeps the first.
    store
        .put(&audio("house", vec![1, 2, 3]))
        .await
        .expect("rerun");
    let read = store.get(&house.id).await.expect("read").expect("stored");
    assert_eq!(read, house);

    let tea = audio("tea", b"OggS tea".to_vec());
    let existing = store
        .existing(&[house.id.clone(), tea.id.clone()])
        .await
        .expect("listed");
    assert!(existing.contains(&house.id));
    assert!(!existing.contains(&tea.id));
    let chunks = t
        .stores
        .mongo
        .database()
        .collection::<Document>("audio.chunks")
        .count_documents(doc! { "files_id": &house.id })
        .await
        .expect("counted");
    assert_eq!(chunks, 3, "GridFS chunks of 255 KiB");
}

#[tokio::test]
async fn a_corrupted_file_is_an_error_never_served() {
    let t = TestStores::new(&[]).await;
    let store = MongoAudioStore::new(&t.stores.mongo);
    let tea = audio("tea", b"OggS the tea audio".to_vec());
    store.put(&tea).await.expect("stored");
    t.stores
        .mongo
        .database()
        .collection::<Document>("audio.files")
        .update_one(
            doc! { "_id": &tea.id },
            doc! { "$set": { "metadata.digest": digest(b"something else") } },
        )
        .await
        .expect("tampered");
    assert!(matches!(
        store.get(&tea.id).await,
        Err(StoreError::Corrupt(_))
    ));
}
