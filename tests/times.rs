//! `Verifier::check_times` (used by verified-token caches to re-check a cached
//! token) gives exactly the answer a full verification gives at every time.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{KeySet, Policy, Times, Verifier};

#[test]
fn check_times_agrees_with_verify_around_every_boundary() {
    let mut claims = good_claims();
    claims["auth_time"] = (claims["iat"].as_i64().unwrap() - 40).into();
    let token = sign_eddsa(&eddsa_header(), &claims);
    let times = Times {
        exp: claims["exp"].as_i64(),
        nbf: claims["nbf"].as_i64(),
        iat: claims["iat"].as_i64(),
        auth_time: claims["auth_time"].as_i64(),
    };
    let policies: Vec<(&str, Policy)> = vec![
        ("default", policy()),
        ("zero tolerance", {
            let mut p = policy();
            p.clock_tolerance = 0;
            p
        }),
        ("maxTokenAge 100", {
            let mut p = policy();
            p.max_token_age = Some(100);
            p
        }),
        ("maxLifetime 600", {
            let mut p = policy();
            p.max_lifetime = Some(600);
            p
        }),
        ("maxAuthAge 100", {
            let mut p = policy();
            p.max_auth_age = Some(100);
            p
        }),
    ];
    let mut rejected = 0;
    for (name, policy) in policies {
        let verifier = Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap();
        let marks = [
            times.auth_time.unwrap(),
            times.nbf.unwrap(),
            times.iat.unwrap(),
            times.exp.unwrap(),
        ];
        for mark in marks {
            for offset in [
                -200, -121, -120, -61, -60, -59, -1, 0, 1, 59, 60, 61, 100, 101, 161, 162,
            ] {
                let at = mark + offset;
                let full = verifier.verify(&token, at).err().map(|e| e.code());
                let quick = verifier.check_times(times, at).err().map(|e| e.code());
                assert_eq!(quick, full, "{name} at {at}");
                rejected += usize::from(full.is_some());
            }
        }
    }
    assert!(rejected > 0, "the table must reach rejections");
}
