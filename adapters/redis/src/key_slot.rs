//! The Redis Cluster slot of a key, computed as the server does (CRC16/XMODEM of the key's hash
//! tag, modulo 16384), so tests can check that every multi-key script's keys share one slot
//! without a cluster at hand.
//!
//! The hash tag is the text between the first `{` and the first `}` after it, when that text is
//! not empty; otherwise the whole key is hashed. Key families whose scripts touch several keys
//! put one tag in all of them: `{jobs}` for the queue, `{lease:<name>}` for a lease.

/// How many slots a Redis Cluster has.
pub const SLOTS: u16 = 16384;

/// The cluster slot `key` belongs to (what `CLUSTER KEYSLOT key` answers).
pub fn key_slot(key: &str) -> u16 {
    crc16_xmodem(hash_tag(key.as_bytes())) % SLOTS
}

fn hash_tag(key: &[u8]) -> &[u8] {
    let Some(open) = key.iter().position(|&b| b == b'{') else {
        return key;
    };
    match key[open + 1..].iter().position(|&b| b == b'}') {
        Some(0) | None => key,
        Some(len) => &key[open + 1..open + 1 + len],
    }
}

/// CRC16 with polynomial 0x1021, initial value 0, no reflection: the one Redis Cluster uses.
fn crc16_xmodem(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &byte| {
        (0..8).fold(crc ^ (u16::from(byte) << 8), |crc, _| {
            if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_values_of_the_cluster_specification() {
        // The Redis Cluster specification's check value, and slots `CLUSTER KEYSLOT` answers.
        assert_eq!(crc16_xmodem(b"123456789"), 0x31C3);
        assert_eq!(key_slot("foo"), 12182);
        assert_eq!(key_slot("bar"), 5061);
        assert_eq!(key_slot("somekey"), 11058);
    }

    #[test]
    fn only_a_non_empty_first_tag_is_hashed() {
        assert_eq!(key_slot("{user1000}.following"), key_slot("user1000"));
        assert_eq!(key_slot("{user1000}.followers"), key_slot("user1000"));
        assert_eq!(key_slot("foo{}{bar}"), key_slot_of_whole("foo{}{bar}"));
        assert_eq!(key_slot("foo{{bar}}zap"), key_slot("{bar"));
        assert_eq!(key_slot("foo{bar}{zap}"), key_slot("bar"));
        assert_eq!(key_slot("no{tag"), key_slot_of_whole("no{tag"));
    }

    fn key_slot_of_whole(key: &str) -> u16 {
        crc16_xmodem(key.as_bytes()) % SLOTS
    }
}
