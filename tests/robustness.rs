//! No input panics (a panic traps the wasm instance), and after any rejected
//! token the same verifier instance still verifies a good one.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{KeySet, inspect};

/// xorshift64*: a small deterministic generator, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}";

fn mutate(rng: &mut Rng, input: &str) -> String {
    let mut bytes = input.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len());
        let last = at.min(bytes.len() - 1);
        match rng.below(6) {
            0 => bytes[last] = ALPHABET[rng.below(ALPHABET.len())],
            1 => {
                bytes.remove(last);
            }
            2 => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            3 => bytes.truncate(at),
            4 => {
                let copy = bytes[at..].to_vec();
                bytes.extend_from_slice(&copy);
            }
            _ => bytes[last] ^= 1 << rng.below(8),
        }
        if bytes.is_empty() {
            bytes.push(b'.');
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_tokens_are_rejected_and_the_verifier_keeps_working() {
    let verifier = verifier();
    let mut rng = Rng(0x6a77_7467_7561_7264);
    let seeds: Vec<String> = ["RS256", "PS256", "ES256", "ES384", "EdDSA"]
        .iter()
        .map(|a| jose_token(a))
        .collect();
    let mut rejected = 0;
    for round in 0..600 {
        let seed = &seeds[round % seeds.len()];
        let token = mutate(&mut rng, seed);
        match verifier.verify(&token, now()) {
            Ok(_) => assert_eq!(&token, seed, "a mutated token verified"),
            Err(e) => {
                rejected += 1;
                assert!(!e.to_string().contains(&token), "an error echoed the token");
            }
        }
        let _ = inspect(&token);
        // The very next good token still verifies on the same instance.
        assert!(verifier.verify(seed, now()).is_ok(), "round {round}");
    }
    assert!(rejected > 550, "only {rejected} mutations were rejected");
}

#[test]
fn mutated_key_sets_never_panic() {
    let jwks = jwks();
    let mut rng = Rng(0x6b65_7973);
    let mut loaded = 0;
    for _ in 0..300 {
        if KeySet::from_jwks(&mutate(&mut rng, &jwks)).is_ok() {
            loaded += 1;
        }
    }
    // Some mutations only touch one key and leave the rest usable.
    assert!(loaded > 0);
}

#[test]
fn extreme_times_do_not_overflow() {
    let verifier = verifier();
    let token = jose_token("EdDSA");
    for now in [i64::MIN, -1, 0, i64::MAX] {
        let result = verifier.verify(&token, now);
        assert!(result.is_err(), "now = {now}");
    }
}

/// A token damaged by copy and paste is named as such, with the position of
/// the damage, in whichever segment it is: before any key work, so it never
/// surfaces as a signature failure.
#[test]
fn copy_and_paste_damage_is_named_with_its_position() {
    let good = jose_token("RS256");
    let dots: Vec<usize> = good.match_indices('.').map(|(i, _)| i).collect();
    // One place in each segment: header, payload, signature.
    let places = [5, dots[0] + 10, dots[1] + 10];
    let table: &[(&str, &str)] = &[
        ("\n", "line break"),
        ("\r\n", "line break"),
        (" ", "space"),
        ("\t", "space"),
        ("=", "padding (=)"),
        ("+", "that is base64"),
        ("\"", "quote"),
        ("%", "outside base64url"),
    ];
    let verifier = verifier();
    for at in places {
        for (inserted, named) in table {
            let damaged = format!("{}{inserted}{}", &good[..at], &good[at..]);
            for (what, error) in [
                ("verify", verifier.verify(&damaged, now()).unwrap_err()),
                ("inspect", inspect(&damaged).unwrap_err()),
            ] {
                let message = error.to_string();
                assert_eq!(
                    error.code(),
                    "ERR_TOKEN_MALFORMED",
                    "{what} {at} {inserted:?}: {message}"
                );
                assert!(
                    message.contains(named) && message.contains(&format!("position {}", at + 1)),
                    "{what} {at} {inserted:?}: {message}"
                );
            }
        }
    }
    // Trailing damage, as a copy that took the line end along.
    let error = verifier.verify(&format!("{good}\n"), now()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains(&format!("line break at position {}", good.len() + 1))
    );
}
