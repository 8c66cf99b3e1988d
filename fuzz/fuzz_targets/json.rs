//! The one-pass JSON check against the tree parser it replaced
//! (`jwtguard::json_oracle`, feature `json-oracle`): on every input the
//! same verdict and message as a JSON text, and as a token's payload the
//! same claim-check result (code, claim and detail) under each of the
//! differential's policies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(why) = jwtguard::json_oracle::disagreement(data) {
        panic!("{why}");
    }
});
