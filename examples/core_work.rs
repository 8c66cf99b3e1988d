//! The core's work around the signature, natively, for a profiler
//! (`perf record`; bench/profile.mjs runs it): the split path a host with
//! its own crypto takes, `prepare` then `finish_prepared` with the first
//! offered key reported as the one that verified. A measurement device
//! only, never a verifier: it accepts any signature.
//!
//! `cargo run --release --example core_work -- <fixtures.json> [seconds]`,
//! where the file is `{ "issuer", "audience", "jwks", "tokens": [..] }`
//! (bench/profile.mjs writes it from tokens signed by jose). Prints the
//! verifications done and the mean microseconds per token.
//!
//! `… -- <fixtures.json> --count N` does exactly N verifications instead,
//! for an instruction counter: under `valgrind --tool=callgrind`, the
//! difference of two counts' totals divided by the difference of the counts
//! is the instructions one verification takes, without the setup.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jwtguard::{KeySet, Policy, Verifier};
use serde::Deserialize;

/// What bench/profile.mjs writes.
#[derive(Deserialize)]
struct Fixtures {
    issuer: String,
    audience: String,
    jwks: serde_json::Value,
    tokens: Vec<String>,
}

/// How long to run: for a time, or for a number of verifications.
enum Limit {
    Seconds(f64),
    Count(u64),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: core_work <fixtures.json> [seconds]")?;
    let limit = match (args.next().as_deref(), args.next()) {
        (Some("--count"), Some(count)) => Limit::Count(count.parse()?),
        (Some(seconds), None) => Limit::Seconds(seconds.parse()?),
        (None, None) => Limit::Seconds(3.0),
        _ => return Err("usage: core_work <fixtures.json> [seconds | --count N]".into()),
    };
    let fixtures: Fixtures = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let keys = KeySet::from_jwks(&fixtures.jwks.to_string())?;
    let verifier = Verifier::new(Policy::new(fixtures.issuer, fixtures.audience), keys)?;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    if fixtures.tokens.is_empty() {
        return Err("no tokens".into());
    }

    let (until, count) = match limit {
        Limit::Seconds(seconds) => (
            Some(Instant::now() + Duration::from_secs_f64(seconds)),
            u64::MAX,
        ),
        Limit::Count(count) => (None, count),
    };
    let start = Instant::now();
    let mut done: u64 = 0;
    'outer: while done < count {
        for token in &fixtures.tokens {
            if done == count {
                break 'outer;
            }
            let prepared = verifier
                .prepare(token)?
                .ok_or("not a delegable algorithm")?;
            let first = prepared.keys.first().copied();
            let verified = verifier.finish_prepared(prepared, first, now)?;
            std::hint::black_box(verified);
            done += 1;
            if done.is_multiple_of(64) && until.is_some_and(|until| Instant::now() >= until) {
                break 'outer;
            }
        }
    }
    let micros = start.elapsed().as_secs_f64() * 1e6;
    #[allow(clippy::cast_precision_loss)] // a count of at most a few million
    let per_token = micros / done as f64;
    println!("{done} verifications, {per_token:.2} µs each");
    Ok(())
}
