//! Token parsing: envelope, base64url, strict JSON header and payload
//! (`jwtguard::inspect`, the same code the verifier runs before any key work).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        if let Ok(inspection) = jwtguard::inspect(token) {
            assert!(!inspection.verified);
        }
    }
});
