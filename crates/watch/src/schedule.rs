//! When a source is next due: its interval after a success; after failures, an exponential
//! back-off with jitter (never sooner than the server's `Retry-After`), capped.

use std::time::Duration;

use xxhash_rust::xxh3::xxh3_64;

/// The jitter: a back-off is stretched by up to this share, differently for each source and
/// failure, so sources that failed together do not all come back at once.
const JITTER: f64 = 0.25;

/// How long to wait before the next poll of a source that has failed `failures` times in a row
/// (at least 1): its interval doubled for each failure after the first, stretched by a jitter
/// drawn from its name (the same input, the same schedule), at least `retry_after`, at most `cap`.
pub fn backoff(
    name: &str,
    interval: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    cap: Duration,
) -> Duration {
    let doublings = failures.saturating_sub(1).min(20);
    let base = interval.saturating_mul(1u32 << doublings).min(cap);
    let draw = xxh3_64(format!("{name}\u{0}{failures}").as_bytes()) as f64 / u64::MAX as f64;
    let jittered = base.mul_f64(1.0 + JITTER * draw).min(cap);
    jittered.max(retry_after.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const CAP: Duration = Duration::from_secs(6 * 3600);

    #[test]
    fn each_failure_doubles_the_wait_up_to_the_cap() {
        let waits: Vec<Duration> = (1..=12).map(|n| backoff("a", 5 * MINUTE, n, None, CAP)).collect();
        for (n, wait) in waits.iter().enumerate() {
            let base = (5 * MINUTE).saturating_mul(1 << n).min(CAP);
            assert!(*wait >= base && *wait <= base.mul_f64(1.0 + JITTER).min(CAP), "failure {}: {wait:?}", n + 1);
        }
        assert_eq!(waits[11], CAP);
    }

    #[test]
    fn retry_after_is_honoured_and_the_jitter_is_reproducible() {
        assert_eq!(backoff("a", MINUTE, 1, Some(30 * MINUTE), CAP), 30 * MINUTE);
        assert_eq!(backoff("a", MINUTE, 3, None, CAP), backoff("a", MINUTE, 3, None, CAP));
        assert_ne!(backoff("a", MINUTE, 3, None, CAP), backoff("b", MINUTE, 3, None, CAP));
    }
}
