//! The WebAssembly bindings: thin wrappers that move strings and bytes in
//! and JSON text out. Policies and key sets cross as JSON text so the core's
//! strict parser sees exactly the bytes the host received; what the core
//! returns crosses as JSON text for one `JSON.parse` (see `to_json_text`).

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

mod pending;
use pending::Pending;

use jwtguard::{
    Algorithm, Certificate, DpopRequest, Error, ErrorKind, Introspection, IssuerRouter, KeySet,
    Policy, Prepared, Presentation, Scheme, Times, Verified, Verifier,
};

fn to_js_error(error: &Error) -> JsValue {
    let js = JsError::new(&error.to_string());
    js.set_name("JwtGuardError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    let claim = error.claim_name().map_or(JsValue::NULL, JsValue::from);
    let _ = Reflect::set(&js, &"claim".into(), &claim);
    let detail = error.detail().map_or(JsValue::NULL, JsValue::from);
    let _ = Reflect::set(&js, &"detail".into(), &detail);
    let challenge = error.claims_challenge().map_or(JsValue::NULL, |challenge| {
        let object = js_sys::Object::new();
        let _ = Reflect::set(&object, &"claims".into(), &challenge.claims.as_str().into());
        let uri = challenge
            .authorization_uri
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from);
        let _ = Reflect::set(&object, &"authorizationUri".into(), &uri);
        object.into()
    });
    let _ = Reflect::set(&js, &"claimsChallenge".into(), &challenge);
    js.into()
}

/// What the core returns crosses as JSON text for the host to `JSON.parse`:
/// building objects member by member would run a signed `"__proto__"`
/// member through the prototype setter and graft it onto the claims object,
/// while `JSON.parse` keeps it a plain own property; and one way to cross
/// keeps the wasm small (a serde-to-JS serialiser was ~1.6 KB of it,
/// gzipped, for two calls).
fn to_json_text<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|_| to_js_error(&Error::new(ErrorKind::Internal)))
}

/// A verified token as JSON text `{ claims, header, key, binding }` for one
/// `JSON.parse`: the claims and the header are the token's own payload and
/// header texts, which the core's strict parser accepted (no duplicate
/// names, depth and size limits), so they are not serialised again; the
/// small rest is.
fn verified_text(verified: &Verified) -> Result<String, JsValue> {
    #[derive(serde::Serialize)]
    struct Rest<'a> {
        key: &'a jwtguard::KeyUsed,
        binding: &'a Option<jwtguard::Binding>,
    }
    let rest = to_json_text(&Rest {
        key: &verified.key,
        binding: &verified.binding,
    })?;
    // `rest` is a JSON object's text: "{" then its members.
    let members = rest
        .strip_prefix('{')
        .ok_or_else(|| to_js_error(&Error::new(ErrorKind::Internal)))?;
    // One allocation of the exact size (`format!` grows its buffer by
    // doubling, copying the claims each time).
    Ok([
        "{\"claims\":",
        verified.claims_json(),
        ",\"header\":",
        verified.header_json(),
        ",",
        members,
    ]
    .concat())
}

fn policy(json: &str) -> Result<Policy, JsValue> {
    Policy::from_json(json).map_err(|e| to_js_error(&e))
}

/// `now` from JavaScript as whole Unix seconds; it must be finite.
fn seconds(now: f64) -> Result<i64, JsValue> {
    if !now.is_finite() {
        return Err(to_js_error(&Error::with_detail(
            ErrorKind::PolicyInvalid,
            "now must be a finite number of seconds",
        )));
    }
    // Float-to-int `as` saturates; any real time fits.
    Ok(now.floor() as i64)
}

/// A token the host passes as UTF-8 bytes (`TextEncoder`; the WebCrypto path
/// encodes it once for the core's two calls and for WebCrypto):
/// wasm-bindgen's string passing copies an ASCII string character by
/// character in JS, several microseconds per kilobyte on every call.
fn token_text(bytes: &[u8]) -> Result<&str, JsValue> {
    #[cfg(feature = "trap-hook")]
    trap_hook::fire_if_armed();
    core::str::from_utf8(bytes).map_err(|_| {
        to_js_error(&Error::with_detail(
            ErrorKind::TokenMalformed,
            "token is not utf-8",
        ))
    })
}

/// A verifier held by JavaScript: a policy and a prepared key set.
#[wasm_bindgen]
pub struct WasmVerifier {
    inner: Verifier,
    /// Tokens between `prepare` and `release`.
    pending: Pending,
    /// The last `prepare`'s offer, which the host reads before its next call.
    offer: Vec<u8>,
}

#[wasm_bindgen]
impl WasmVerifier {
    /// A verifier from a policy and a JWKS, both as JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str, jwks_json: &str) -> Result<WasmVerifier, JsValue> {
        let keys = KeySet::from_jwks(jwks_json).map_err(|e| to_js_error(&e))?;
        let inner = Verifier::new(policy(policy_json)?, keys).map_err(|e| to_js_error(&e))?;
        Ok(Self::around(inner))
    }

    /// A verifier from a policy (JSON text) and an HMAC shared secret.
    #[wasm_bindgen(js_name = withSecret)]
    pub fn with_secret(
        policy_json: &str,
        secret: &[u8],
        kid: Option<String>,
    ) -> Result<WasmVerifier, JsValue> {
        let keys = KeySet::from_secret(secret, kid.as_deref()).map_err(|e| to_js_error(&e))?;
        let inner = Verifier::new(policy(policy_json)?, keys).map_err(|e| to_js_error(&e))?;
        Ok(Self::around(inner))
    }

    /// Verifies `token` (its UTF-8 bytes, see `token_text`) at `now` (Unix
    /// seconds); returns `{ header, claims, key }` as JSON text. One string
    /// crossing and the host's `JSON.parse` cost far less than building the
    /// object member by member from wasm.
    pub fn verify(&self, token: &[u8], now: f64) -> Result<String, JsValue> {
        let now = seconds(now)?;
        let verified = self
            .inner
            .verify(token_text(token)?, now)
            .map_err(|e| to_js_error(&e))?;
        verified_text(&verified)
    }

    /// Verifies `token` (UTF-8 bytes) as a request presented it, at `now`:
    /// `scheme` is `"bearer"` or `"dpop"`; `proof`, `method` and `url` are
    /// the DPoP header, the request method and its absolute URL (all three
    /// or none); `nonces` the server nonces a proof may carry now, when the
    /// server asks for one (RFC 9449 §9); the client certificate, if the connection had one, is
    /// `certificate_der` or its SHA-256 `certificate_sha256` (32 bytes).
    /// Returns what `verify` returns, with `binding` set for a bound token.
    #[wasm_bindgen(js_name = verifyPresented)]
    #[expect(
        clippy::too_many_arguments,
        reason = "flat arguments cross the wasm boundary without a parse"
    )]
    pub fn verify_presented(
        &self,
        token: &[u8],
        now: f64,
        scheme: &str,
        proof: Option<String>,
        method: Option<String>,
        url: Option<String>,
        nonces: Option<Vec<String>>,
        certificate_der: Option<Vec<u8>>,
        certificate_sha256: Option<Vec<u8>>,
    ) -> Result<String, JsValue> {
        let now = seconds(now)?;
        let nonces = nonce_slices(nonces.as_deref());
        let presented = presentation(
            scheme,
            &proof,
            &method,
            &url,
            nonces.as_deref(),
            &certificate_der,
            certificate_sha256,
        )?;
        let verified = self
            .inner
            .verify_presented(token_text(token)?, now, &presented)
            .map_err(|e| to_js_error(&e))?;
        verified_text(&verified)
    }

    /// The first half of a verification whose signature the host checks
    /// with its own crypto (see `Verifier::prepare`), on the token's UTF-8
    /// bytes (see `token_text`): every check up to the signature. The core
    /// keeps the token in a slot for `finish` and returns the address in its
    /// memory of what the host needs (the offer, see `write_offer`), which
    /// the host reads before its next call into the core; 0 when the token's
    /// algorithm is only ever checked here: call `verify`. The host releases
    /// the slot (`release`) when done with it, finished or not.
    pub fn prepare(&mut self, token: &[u8]) -> Result<u32, JsValue> {
        let prepared = self
            .inner
            .prepare(token_text(token)?)
            .map_err(|e| to_js_error(&e))?;
        let Some(prepared) = prepared else {
            return Ok(0);
        };
        write_offer(&mut self.offer, &prepared);
        let slot = self.pending.hold(prepared);
        // Slot numbers are below the number of tokens in flight at once.
        if let Some(bytes) = self.offer.get_mut(..SLOT_BYTES) {
            bytes.copy_from_slice(&(slot as u32).to_le_bytes());
        }
        // Addresses in wasm32 memory fit in u32; an allocation's is never 0.
        Ok(self.offer.as_ptr() as usize as u32)
    }

    /// The second half (see `Verifier::finish_prepared`) for the token in
    /// `slot`: `key` is the index the host's crypto verified the signature
    /// with, `undefined` when none did. Takes the slot's token (a second
    /// `finish` on it is an internal error); returns what `verify` returns
    /// and throws what it throws.
    pub fn finish(&mut self, slot: u32, key: Option<u32>, now: f64) -> Result<String, JsValue> {
        let now = seconds(now)?;
        let prepared = self.take(slot)?;
        let key = key.map(|index| index as usize);
        let verified = self
            .inner
            .finish_prepared(prepared, key, now)
            .map_err(|e| to_js_error(&e))?;
        verified_text(&verified)
    }

    /// Frees `slot` after `prepare`, whether or not it was finished.
    pub fn release(&mut self, slot: u32) {
        self.pending.release(slot);
    }

    /// `finish` for a token as a request presented it (the arguments after
    /// `now` are `verifyPresented`'s): the binding is checked too (see
    /// `Verifier::finish_presented`).
    #[wasm_bindgen(js_name = finishPresented)]
    #[expect(
        clippy::too_many_arguments,
        reason = "flat arguments cross the wasm boundary without a parse"
    )]
    pub fn finish_presented(
        &mut self,
        slot: u32,
        key: Option<u32>,
        now: f64,
        scheme: &str,
        proof: Option<String>,
        method: Option<String>,
        url: Option<String>,
        nonces: Option<Vec<String>>,
        certificate_der: Option<Vec<u8>>,
        certificate_sha256: Option<Vec<u8>>,
    ) -> Result<String, JsValue> {
        let now = seconds(now)?;
        let nonces = nonce_slices(nonces.as_deref());
        let presented = presentation(
            scheme,
            &proof,
            &method,
            &url,
            nonces.as_deref(),
            &certificate_der,
            certificate_sha256,
        )?;
        let prepared = self.take(slot)?;
        let key = key.map(|index| index as usize);
        let verified = self
            .inner
            .finish_presented(prepared, key, now, &presented)
            .map_err(|e| to_js_error(&e))?;
        verified_text(&verified)
    }

    /// The public JWK (JSON text: see `Key::public_jwk`) of usable key
    /// `index`, for node:crypto's `createPublicKey` or WebCrypto's
    /// `importKey`; `undefined` for a shared secret, whose signatures are
    /// only checked here.
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self, index: u32) -> Option<String> {
        self.inner
            .keys()
            .keys()
            .get(index as usize)
            .and_then(|key| key.public_jwk())
            .map(str::to_owned)
    }

    /// Re-checks the time claims (`exp`, `nbf`, `iat`, `auth_time` as
    /// NumericDates, or `undefined`) of a token this verifier already
    /// verified, at `now`.
    /// Throws the same error `verify` would.
    #[wasm_bindgen(js_name = checkTimes)]
    pub fn check_times(
        &self,
        exp: Option<f64>,
        nbf: Option<f64>,
        iat: Option<f64>,
        auth_time: Option<f64>,
        now: f64,
    ) -> Result<(), JsValue> {
        let now = seconds(now)?;
        // The values come from claims `verify` accepted (whole seconds within
        // MAX_NUMERIC_DATE), so the conversions are exact.
        let times = Times {
            exp: exp.map(|s| s.floor() as i64),
            nbf: nbf.map(|s| s.floor() as i64),
            iat: iat.map(|s| s.floor() as i64),
            auth_time: auth_time.map(|s| s.floor() as i64),
        };
        self.inner
            .check_times(times, now)
            .map_err(|e| to_js_error(&e))
    }

    /// Replaces the key set with a new JWKS (JSON text).
    #[wasm_bindgen(js_name = setKeys)]
    pub fn set_keys(&mut self, jwks_json: &str) -> Result<(), JsValue> {
        let keys = KeySet::from_jwks(jwks_json).map_err(|e| to_js_error(&e))?;
        self.inner.set_keys(keys);
        Ok(())
    }

    /// Verifies a signed introspection response (RFC 9701; UTF-8 bytes, see
    /// `token_text`) at `now` with this verifier, whose policy names the
    /// authorization server and the resource's client id; returns the text
    /// of its `token_introspection` object for `WasmIntrospection.check`.
    #[wasm_bindgen(js_name = introspectionResponse)]
    pub fn introspection_response(&self, response: &[u8], now: f64) -> Result<String, JsValue> {
        let now = seconds(now)?;
        self.inner
            .verify_introspection_response(token_text(response)?, now)
            .map_err(|e| to_js_error(&e))
    }

    /// The key set's skipped entries as JSON text: `[{ index, kid, reason }]`.
    pub fn skipped(&self) -> Result<String, JsValue> {
        to_json_text(&self.inner.keys().skipped())
    }
}

/// Checks introspection answers (RFC 7662) against a policy.
#[wasm_bindgen]
pub struct WasmIntrospection {
    inner: Introspection,
}

#[wasm_bindgen]
impl WasmIntrospection {
    /// A checker for a policy (JSON text).
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Result<WasmIntrospection, JsValue> {
        let inner = Introspection::new(policy(policy_json)?).map_err(|e| to_js_error(&e))?;
        Ok(Self { inner })
    }

    /// Checks `response` (the answer's JSON text) about `token` (UTF-8
    /// bytes) as a request presented it (the arguments after `now` are
    /// `WasmVerifier.verifyPresented`'s), at `now`; returns `{ claims,
    /// binding }` as JSON text.
    #[expect(
        clippy::too_many_arguments,
        reason = "flat arguments cross the wasm boundary without a parse"
    )]
    pub fn check(
        &self,
        response: &str,
        token: &[u8],
        now: f64,
        scheme: &str,
        proof: Option<String>,
        method: Option<String>,
        url: Option<String>,
        nonces: Option<Vec<String>>,
        certificate_der: Option<Vec<u8>>,
        certificate_sha256: Option<Vec<u8>>,
    ) -> Result<String, JsValue> {
        let now = seconds(now)?;
        let nonces = nonce_slices(nonces.as_deref());
        let presented = presentation(
            scheme,
            &proof,
            &method,
            &url,
            nonces.as_deref(),
            &certificate_der,
            certificate_sha256,
        )?;
        let introspected = self
            .inner
            .check(response, token_text(token)?, now, &presented)
            .map_err(|e| to_js_error(&e))?;
        to_json_text(&introspected)
    }
}

impl WasmVerifier {
    fn around(inner: Verifier) -> Self {
        Self {
            inner,
            pending: Pending::default(),
            offer: Vec::new(),
        }
    }

    /// The token in `slot` for `finish`: one never prepared, already
    /// finished or released is an internal error.
    fn take(&mut self, slot: u32) -> Result<Prepared, JsValue> {
        self.pending.take(slot).ok_or_else(|| {
            to_js_error(&Error::with_detail(
                ErrorKind::Internal,
                "this prepared token was already finished or released",
            ))
        })
    }
}

/// Bytes of the offer's slot number, its first member.
const SLOT_BYTES: usize = 4;

/// What the host's crypto needs from `prepare`, in one crossing, as bytes
/// (`js/prepared-token.js` reads them): the slot (u32, little-endian; written
/// by `prepare` after this), the signing input's length (the prefix of the
/// token the signature covers; u32), the signature's length (u32), the
/// algorithm (u8: its position in `algorithmNames()`), the number of key
/// indices to try (u8), the indices in order (u32 each), then the decoded
/// signature (for ECDSA, the JWS form r || s). `offer` is reused, so it
/// allocates only when a token needs more room than any before.
fn write_offer(offer: &mut Vec<u8>, prepared: &Prepared) {
    offer.clear();
    offer.extend_from_slice(&[0; SLOT_BYTES]);
    // Tokens are at most MAX_TOKEN_SIZE_CEILING bytes.
    offer.extend_from_slice(&(prepared.signing_input_len as u32).to_le_bytes());
    offer.extend_from_slice(&(prepared.signature.len() as u32).to_le_bytes());
    // A few dozen algorithms at most; at most MAX_KEYS_TRIED indices into a
    // key set of at most MAX_JWKS_KEYS keys.
    let position = Algorithm::all().position(|alg| alg == prepared.alg);
    offer.push(position.map_or(u8::MAX, |position| position as u8));
    offer.push(prepared.keys.len() as u8);
    for &index in &prepared.keys {
        offer.extend_from_slice(&(index as u32).to_le_bytes());
    }
    offer.extend_from_slice(&prepared.signature);
}

/// The names of the algorithms the core knows, in the order whose positions
/// the offer of `WasmVerifier::prepare` gives.
#[wasm_bindgen(js_name = algorithmNames)]
pub fn algorithm_names() -> Vec<String> {
    Algorithm::all().map(|alg| alg.name().to_owned()).collect()
}

/// Several issuers' policies, for choosing the one configuration that
/// checks a token (see `IssuerRouter`).
#[wasm_bindgen]
pub struct WasmRouter {
    inner: IssuerRouter,
}

#[wasm_bindgen]
impl WasmRouter {
    /// A router over a JSON array of policies; throws `ERR_POLICY_INVALID`
    /// when two of them accept one issuer.
    #[wasm_bindgen(constructor)]
    pub fn new(policies_json: &str) -> Result<WasmRouter, JsValue> {
        let policies: Vec<Policy> = serde_json::from_str(policies_json).map_err(|_| {
            to_js_error(&Error::with_detail(
                ErrorKind::PolicyInvalid,
                "expected a json array of policies",
            ))
        })?;
        for policy in &policies {
            policy.check().map_err(|e| to_js_error(&e))?;
        }
        let inner = IssuerRouter::new(&policies).map_err(|e| to_js_error(&e))?;
        Ok(Self { inner })
    }

    /// The index of the policy that accepts the token's (unverified) `iss`;
    /// the token as UTF-8 bytes (see `token_text`).
    pub fn route(&self, token: &[u8]) -> Result<u32, JsValue> {
        let index = self
            .inner
            .route(token_text(token)?)
            .map_err(|e| to_js_error(&e))?;
        // At most as many policies as the host passed in an array.
        Ok(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// Checks a policy (JSON text) and returns it normalised, with every default filled in.
#[wasm_bindgen(js_name = normalizePolicy)]
pub fn normalize_policy(policy_json: &str) -> Result<String, JsValue> {
    Ok(policy(policy_json)?.to_json())
}

/// Decodes a token without verifying it; returns JSON text.
#[wasm_bindgen]
pub fn inspect(token: &str) -> Result<String, JsValue> {
    let inspection = jwtguard::inspect(token).map_err(|e| to_js_error(&e))?;
    to_json_text(&inspection)
}

/// Admits a JWKS (JSON text) as the verifier would and returns the kids of
/// its usable keys as JSON text (an array, `null` for keys without one);
/// throws `ERR_JWKS_INVALID` when it has none. Key sources check a fetched
/// set with this before it replaces the last good one.
#[wasm_bindgen(js_name = usableKids)]
pub fn usable_kids(jwks_json: &str) -> Result<String, JsValue> {
    let keys = KeySet::from_jwks(jwks_json).map_err(|e| to_js_error(&e))?;
    let kids: Vec<Option<&str>> = keys.keys().iter().map(|k| k.kid()).collect();
    to_json_text(&kids)
}

/// A deliberate trap for the host's recovery test (`make test-trap`), built
/// only with the `trap-hook` feature: never in the release wasm.
#[cfg(feature = "trap-hook")]
pub mod trap_hook {
    use std::cell::Cell;

    use wasm_bindgen::prelude::*;

    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }

    /// Makes the next call that takes a token trap, as a broken invariant would.
    #[wasm_bindgen(js_name = armTrapForTest)]
    pub fn arm() {
        ARMED.with(|armed| armed.set(true));
    }

    /// Traps (`unreachable`) when armed. A fresh instance starts unarmed.
    pub(crate) fn fire_if_armed() {
        if ARMED.with(Cell::get) {
            std::process::abort();
        }
    }
}

/// The server nonces as the core reads them: borrowed slices.
fn nonce_slices(nonces: Option<&[String]>) -> Option<Vec<&str>> {
    nonces.map(|nonces| nonces.iter().map(String::as_str).collect())
}

/// How a request presented its token, from `verifyPresented`'s flat
/// arguments: the scheme, the DPoP proof with its method and url (all three
/// or none) and the server nonces it may carry, and the client certificate
/// as DER or its SHA-256 (or neither).
fn presentation<'a>(
    scheme: &str,
    proof: &'a Option<String>,
    method: &'a Option<String>,
    url: &'a Option<String>,
    nonces: Option<&'a [&'a str]>,
    certificate_der: &'a Option<Vec<u8>>,
    certificate_sha256: Option<Vec<u8>>,
) -> Result<Presentation<'a>, JsValue> {
    let misuse = |detail: &str| to_js_error(&Error::with_detail(ErrorKind::PolicyInvalid, detail));
    let scheme = match scheme {
        "bearer" => Scheme::Bearer,
        "dpop" => Scheme::Dpop,
        _ => return Err(misuse("scheme must be \"bearer\" or \"dpop\"")),
    };
    let dpop = match (proof, method, url) {
        (Some(proof), Some(method), Some(url)) => Some(DpopRequest {
            proof,
            method,
            url,
            nonces,
        }),
        (None, None, None) => None,
        _ => return Err(misuse("a dpop proof needs its method and url")),
    };
    let certificate = match (certificate_der, certificate_sha256) {
        (Some(der), None) => Some(Certificate::Der(der)),
        (None, Some(digest)) => {
            Some(Certificate::Sha256(digest.try_into().map_err(|_| {
                misuse("a certificate sha-256 digest is 32 bytes")
            })?))
        }
        (None, None) => None,
        (Some(_), Some(_)) => return Err(misuse("give the certificate once")),
    };
    Ok(Presentation {
        scheme,
        dpop,
        certificate,
    })
}
