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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: core_work <fixtures.json> [seconds]")?;
    let seconds: f64 = args.next().map_or(Ok(3.0), |s| s.parse())?;
    let fixtures: Fixtures = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let keys = KeySet::from_jwks(&fixtures.jwks.to_string())?;
    let verifier = Verifier::new(Policy::new(fixtures.issuer, fixtures.audience), keys)?;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    if fixtures.tokens.is_empty() {
        return Err("no tokens".into());
    }

    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut done: u64 = 0;
    'outer: loop {
        for token in &fixtures.tokens {
            let prepared = verifier
                .prepare(token)?
                .ok_or("not a delegable algorithm")?;
            let first = prepared.keys.first().copied();
            let verified = verifier.finish_prepared(prepared, first, now)?;
            std::hint::black_box(verified);
            done += 1;
            if done.is_multiple_of(64) && Instant::now() >= until {
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
