//! MinHash signatures of articles over word shingles, and LSH bands to find near-duplicates
//! (syndicated copies of one article) without comparing every pair.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Hash functions in a signature.
pub(crate) const SIGNATURE_LEN: usize = 64;
/// Bands of the LSH index; `SIGNATURE_LEN / BANDS` rows each. 16 bands of 4 rows find pairs
/// above about 0.5 Jaccard similarity with high probability.
pub(crate) const BANDS: usize = 16;
const ROWS: usize = SIGNATURE_LEN / BANDS;
/// Words per shingle.
const SHINGLE: usize = 4;

/// Per-slot keys of the permutations (fixed, so signatures are stable across runs and builds).
const PERMUTATIONS: [u64; SIGNATURE_LEN] = {
    let mut keys = [0u64; SIGNATURE_LEN];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut i = 0;
    while i < SIGNATURE_LEN {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        keys[i] = mix(state);
        i += 1;
    }
    keys
};

/// splitmix64's finaliser: a fast bijective mixing of 64 bits.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A MinHash signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Signature(pub [u64; SIGNATURE_LEN]);

impl Signature {
    /// The signature of a folded text's words.
    pub(crate) fn of(words: &[&str]) -> Signature {
        let mut mins = [u64::MAX; SIGNATURE_LEN];
        let shingles = words.windows(SHINGLE.min(words.len().max(1)));
        for shingle in shingles {
            let base = shingle.iter().fold(0u64, |h, w| xxh3_64_with_seed(w.as_bytes(), h));
            // One hash per shingle, then cheap independent permutations of it (multiply by an
            // odd constant per slot, then mix): 64 hash functions for the price of one.
            for (slot, min) in mins.iter_mut().enumerate() {
                let h = mix(base ^ PERMUTATIONS[slot]);
                if h < *min {
                    *min = h;
                }
            }
        }
        Signature(mins)
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub(crate) fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(other.0.iter()).filter(|(a, b)| a == b).count();
        same as f64 / SIGNATURE_LEN as f64
    }

    /// The band hashes (band index, hash) for the LSH index.
    pub(crate) fn bands(&self) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.0.chunks(ROWS).enumerate().map(|(band, rows)| {
            let h = rows.iter().fold(band as u64, |h, r| xxh3_64_with_seed(&r.to_le_bytes(), h));
            (band as i64, h as i64)
        })
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_LEN * 8 {
            return None;
        }
        let mut out = [0u64; SIGNATURE_LEN];
        for (slot, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
            *slot = u64::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        Signature::of(&text.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn copies_are_similar_and_other_texts_are_not() {
        let a =
            "أحبطت وزارة الداخلية السورية محاولة تفجير سيارة مفخخة في حي الخالدية بمدينة حمص مساء الجمعة وفككت العبوة";
        let b = "أحبطت وزارة الداخلية السورية محاولة تفجير سيارة مفخخة في حي الخالدية بمدينة حمص مساء الجمعة وفككت العبوة قبل انفجارها";
        let c = "خرجت مظاهرة في ساحة الكرامة وسط مدينة السويداء للمطالبة بالإفراج عن المعتقلين وتطبيق القرار الأممي";
        assert!(sig(a).similarity(&sig(b)) > 0.7);
        assert!(sig(a).similarity(&sig(c)) < 0.2);
        assert_eq!(Signature::from_bytes(&sig(a).to_bytes()), Some(sig(a)));
    }
}
