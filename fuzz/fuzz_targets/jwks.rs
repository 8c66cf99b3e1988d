//! JWKS parsing and key admission (`KeySet::from_jwks`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(keys) = jwtguard::KeySet::from_jwks(text) {
            // A loaded set has at least one usable key; every entry is
            // either admitted or reported.
            assert!(!keys.keys().is_empty());
        }
    }
});
