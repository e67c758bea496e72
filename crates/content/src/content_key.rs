//! What content is shared by: the word, the learner's native language and level band. Two
//! learners with the same pair and band read the same content.

use lingo_kernel::{CefrLevel, LanguageCode};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelBand {
    /// A1–A2
    Beginner,
    /// B1–B2
    Intermediate,
    /// C1–C2
    Advanced,
}

impl LevelBand {
    pub fn of(level: CefrLevel) -> Self {
        match level {
            CefrLevel::A1 | CefrLevel::A2 => Self::Beginner,
            CefrLevel::B1 | CefrLevel::B2 => Self::Intermediate,
            CefrLevel::C1 | CefrLevel::C2 => Self::Advanced,
        }
    }

    /// The level generators are asked to write for (the band's upper level).
    pub fn target_level(self) -> CefrLevel {
        match self {
            Self::Beginner => CefrLevel::A2,
            Self::Intermediate => CefrLevel::B2,
            Self::Advanced => CefrLevel::C1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Beginner => "beginner",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }
}

impl fmt::Display for LevelBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContentKey {
    pub word_id: lingo_kernel::WordId,
    pub native: LanguageCode,
    pub band: LevelBand,
}

impl ContentKey {
    /// `word|native|band`, the stores' key.
    pub fn id(&self) -> String {
        format!("{}|{}|{}", self.word_id, self.native, self.band)
    }

    /// The id of the job that generates the first version: fixed per key, so concurrent
    /// requests enqueue one generation.
    pub fn job_id(&self) -> lingo_kernel::jobs::JobId {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6c1e_0c0e_5a7d_4c3b_9f0e_0c0c_0e47_0001);
        lingo_kernel::jobs::JobId::from_uuid(Uuid::new_v5(&NAMESPACE, self.id().as_bytes()))
    }
}
