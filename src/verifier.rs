//! The verifier: a policy and a key set, applied to one token at a time.

use crate::alg::Algorithm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::binding::{self, Binding, Presentation};
use crate::claims::Times;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::{Key, KeySet};
use crate::policy::Policy;
use crate::token::Segments;
use crate::token::{self, Header, same_typ};
use crate::{base64url, claims, crypto};

/// One check of a verification, as the core's facts give it: an id, a title
/// for people, the codes it fails with and the claims it reads (a missing or
/// invalid one of those fails with `ERR_CLAIM_MISSING` or `ERR_CLAIM_INVALID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Check {
    /// A stable name, e.g. `audience`.
    pub id: &'static str,
    /// What it checks, for people.
    pub title: &'static str,
    /// The codes it fails with.
    pub codes: &'static [ErrorKind],
    /// The claims it reads.
    pub claims: &'static [&'static str],
}

const fn check(
    id: &'static str,
    title: &'static str,
    codes: &'static [ErrorKind],
    claims: &'static [&'static str],
) -> Check {
    Check {
        id,
        title,
        codes,
        claims,
    }
}

/// Every check, in the order [`Verifier::verify`] runs them: the token's
/// envelope and header, the key, the signature, then (only after the
/// signature verified) the claims in `claims::check`'s order, and last the
/// binding against how the token was presented. The first failure stops the
/// verification.
pub const CHECKS: &[Check] = {
    use ErrorKind::*;
    &[
        check(
            "shape",
            "Token shape and size",
            &[TokenMalformed, TokenTooLarge],
            &[],
        ),
        check(
            "header",
            "Header and algorithm",
            &[HeaderInvalid, AlgNotAllowed, CritUnsupported, ForeignToken],
            &[],
        ),
        check("typ", "Token type (typ)", &[TypInvalid], &[]),
        check("key", "Key selection (kid)", &[KeyNotFound], &[]),
        check("signature", "Signature", &[SignatureInvalid], &[]),
        check("issuer", "Issuer (iss)", &[IssuerInvalid], &["iss"]),
        check("audience", "Audience (aud)", &[AudienceInvalid], &["aud"]),
        check(
            "times",
            "Lifetime (exp, nbf, iat, auth_time)",
            &[TokenExpired, TokenNotYetValid, TokenTooOld, AuthTooOld],
            &["exp", "nbf", "iat", "auth_time"],
        ),
        check("claims", "Subject and required claims", &[], &[]),
        check("tenant", "Tenant (tid)", &[TenantNotAllowed], &["tid"]),
        check(
            "client",
            "Client (azp, appid, client_id)",
            &[ClientNotAllowed],
            &["azp", "appid", "client_id"],
        ),
        check("roles", "Roles", &[RoleMissing], &["roles"]),
        check(
            "scopes",
            "Scopes (scp, scope)",
            &[ScopeMissing],
            &["scp", "scope"],
        ),
        check(
            "permission",
            "Permission (roles or scp)",
            &[PermissionMissing],
            &[],
        ),
        check(
            "authentication",
            "Authentication (acr, acrs)",
            &[AuthLevelInsufficient, AuthContextMissing],
            &["acr", "acrs", "xms_cc"],
        ),
        check(
            "binding",
            "Binding (cnf)",
            &[TokenBound, DpopInvalid, DpopNonce],
            &["cnf"],
        ),
    ]
};

/// A verified token: its header, its claims, and the key that verified it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Verified {
    /// The protected header exactly as the token carries it (decoded,
    /// strictly checked): see [`Verified::header_json`] and
    /// [`Verified::header`].
    #[serde(rename = "header", serialize_with = "serialize_object")]
    header_json: String,
    /// The payload exactly as the token carries it (decoded, strictly
    /// checked): see [`Verified::claims_json`] and [`Verified::claims`].
    #[serde(rename = "claims", serialize_with = "serialize_object")]
    claims_json: String,
    /// Which key verified the signature.
    pub key: KeyUsed,
    /// The binding the token was checked against: `None` for a bearer token.
    pub binding: Option<Binding>,
}

/// Serialises a header or payload text as the object it holds.
fn serialize_object<S: serde::Serializer>(
    text: &str,
    serializer: S,
) -> core::result::Result<S::Ok, S::Error> {
    parse_object(text).serialize(serializer)
}

/// The object of a header or payload text the strict check accepted (so a
/// plain parse reads it whole and alike).
fn parse_object(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Verified {
    /// The protected header, parsed from [`Verified::header_json`] on each
    /// call. The verification itself reads only the members its rules
    /// name.
    pub fn header(&self) -> Map<String, Value> {
        parse_object(&self.header_json)
    }

    /// The protected header as the token's own JSON text, which the strict
    /// parser accepted, as [`Verified::claims_json`] is the payload's.
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// The claims (payload), checked against the policy: parsed from
    /// [`Verified::claims_json`] on each call. The verification itself
    /// checks the payload in one pass and parses only the claims its policy
    /// reads.
    pub fn claims(&self) -> Map<String, Value> {
        parse_object(&self.claims_json)
    }

    /// The claims as the token's own JSON text, which the strict parser
    /// accepted (no duplicate names, depth and size limits): a host can hand
    /// it to its own JSON parser once instead of re-serialising `claims`.
    pub fn claims_json(&self) -> &str {
        &self.claims_json
    }
}

/// The key that verified a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KeyUsed {
    /// The key's `kid`, when it has one.
    pub kid: Option<String>,
    /// The algorithm the token was signed with.
    pub alg: String,
}

/// A token's payload, decoded in the pass that checks its symbols
/// ([`Verifier::check_header`]): `None` when it is not canonical unpadded
/// base64url, which fails the token only once its signature has verified,
/// where the payload is first read.
type Payload = Option<Vec<u8>>;

/// The segments [`Verifier::check_header`] decodes in the pass that checks
/// their symbols: the payload, and the signature (`None` when it is not
/// canonical unpadded base64url, which fails the token only after key
/// selection, where the signature is first read).
struct Decoded {
    payload: Payload,
    signature: Option<Vec<u8>>,
}

/// A token whose signature verified: its header, its decoded payload bytes
/// and the key that verified it.
pub(crate) struct Signed<'k> {
    pub(crate) header: Header,
    pub(crate) payload: Vec<u8>,
    pub(crate) key: &'k Key,
}

/// What a host needs to check a token's signature with its own crypto,
/// from [`Verifier::prepare`]. Every decision (algorithm, policy, key
/// choice, signature encoding) is already made: the host only answers, key
/// by key, whether the signature is valid.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Prepared {
    /// The token's algorithm (RS*, PS*, ES256 or ES384).
    pub alg: Algorithm,
    /// The keys to try, in order, as indices into [`KeySet::keys`]: the
    /// candidates for the token's `kid` and `alg` (at most
    /// [`crate::limits::MAX_KEYS_TRIED`]) whose encoding the signature fits
    /// (RSA: exactly k bytes, below n; ECDSA: r and s in [1, n − 1]).
    /// Empty when no key can verify it.
    pub keys: Vec<usize>,
    /// The length in bytes of the signing input (`header "." payload`), the
    /// prefix of the token that the signature covers.
    pub signing_input_len: usize,
    /// The decoded signature (for ECDSA, the JWS form `r || s`).
    pub signature: Vec<u8>,
    /// What [`Verifier::finish_prepared`] continues from: the token, its
    /// checked header, and the key set it was prepared against.
    token: String,
    header: Header,
    payload: Payload,
    key_set: u64,
}

/// Verifies compact JWS access tokens against a [`Policy`] and a [`KeySet`].
///
/// Pure: no clock, no network, no global state. The caller passes the time.
///
/// ```
/// # fn demo(jwks: &str, token: &str) -> jwtguard::Result<()> {
/// use jwtguard::{KeySet, Policy, Verifier};
/// let policy = Policy::from_json(r#"{"issuer":"https://issuer.example","audience":"api://my-api"}"#)?;
/// let verifier = Verifier::new(policy, KeySet::from_jwks(jwks)?)?;
/// let verified = verifier.verify(token, 1_700_000_000)?;
/// println!("client {:?}", verified.claims().get("azp"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    policy: Policy,
    keys: KeySet,
    /// Counts [`Verifier::set_keys`] calls, so that a [`Prepared`] from an
    /// older key set is refused: its key indices name other keys now.
    key_set: u64,
}

impl Verifier {
    /// A verifier for `policy` (checked here) and `keys`.
    pub fn new(policy: Policy, keys: KeySet) -> Result<Self> {
        policy.check()?;
        Ok(Self {
            policy,
            keys,
            key_set: 0,
        })
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The key set.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Replaces the key set (after a key rotation), keeping the policy.
    pub fn set_keys(&mut self, keys: KeySet) {
        self.keys = keys;
        self.key_set = self.key_set.wrapping_add(1);
    }

    /// Verifies `token`, presented as a plain bearer token, at time `now`
    /// (Unix seconds). A token bound to a key or certificate (`cnf`) fails
    /// with `ERR_TOKEN_BOUND`: see [`Verifier::verify_presented`].
    ///
    /// Order: size, envelope, header rules, algorithm and type policy, key
    /// selection, signature; only then is the payload parsed and its claims
    /// checked.
    pub fn verify(&self, token: &str, now: i64) -> Result<Verified> {
        self.verify_presented(token, now, &Presentation::BEARER)
    }

    /// Verifies `token` as `presented` (its scheme, DPoP proof, client
    /// certificate): everything [`Verifier::verify`] checks, then the
    /// binding. A bound token needs its proof (a DPoP-bound token the DPoP
    /// scheme and a proof signed by its key; an mTLS-bound token the
    /// certificate); an unbound token needs the Bearer scheme. The result's
    /// [`Verified::binding`] names the binding; for DPoP the host must also
    /// refuse a `jti` it has seen before, until the proof expires.
    pub fn verify_presented(
        &self,
        token: &str,
        now: i64,
        presented: &Presentation<'_>,
    ) -> Result<Verified> {
        self.accept(self.verify_signature(token)?, token, now, presented)
    }

    /// The first half of a verification whose signature a host checks with
    /// its own crypto (WebCrypto): every check [`Verifier::verify`] makes up
    /// to the signature, in the same order and with the same errors, then
    /// what the host needs. The host checks the signature under each key of
    /// [`Prepared::keys`] in order, stops at the first that verifies, and
    /// hands that key's index (or `None`) to [`Verifier::finish`].
    ///
    /// `Ok(None)` when the token's algorithm is one whose signatures are
    /// only ever checked here (HMAC: see [`crate::alg::Family::delegable`]):
    /// call [`Verifier::verify`].
    ///
    /// The result keeps the token and its checked header, so
    /// [`Verifier::finish_prepared`] concludes without parsing them again.
    pub fn prepare(&self, token: &str) -> Result<Option<Prepared>> {
        let (segments, header, decoded) = self.check_header(token)?;
        if !crypto::delegable(header.alg) {
            return Ok(None);
        }
        let (keys, signature) = self.offer(&header, decoded.signature)?;
        Ok(Some(Prepared {
            alg: header.alg,
            keys,
            signing_input_len: segments.signing_input.len(),
            signature,
            token: token.to_owned(),
            header,
            payload: decoded.payload,
            key_set: self.key_set,
        }))
    }

    /// The second half after [`Verifier::prepare`], from what it kept: `key`
    /// is the index the host's crypto verified the signature with, or `None`
    /// when no key did. Reads the payload it decoded and checks the claims
    /// exactly as [`Verifier::verify`] does, with the same errors as
    /// [`Verifier::finish`]. A `prepared` from before the last
    /// [`Verifier::set_keys`] fails with `ERR_INTERNAL`, never an acceptance.
    pub fn finish_prepared(
        &self,
        prepared: Prepared,
        key: Option<usize>,
        now: i64,
    ) -> Result<Verified> {
        self.finish_presented(prepared, key, now, &Presentation::BEARER)
    }

    /// [`Verifier::finish_prepared`] for a token as a request `presented` it:
    /// after the claims, the binding is checked exactly as
    /// [`Verifier::verify_presented`] checks it, with the same errors. (A
    /// DPoP proof's own signature is checked here, in Rust.)
    pub fn finish_presented(
        &self,
        prepared: Prepared,
        key: Option<usize>,
        now: i64,
        presented: &Presentation<'_>,
    ) -> Result<Verified> {
        if prepared.key_set != self.key_set {
            return Err(Error::with_detail(
                ErrorKind::Internal,
                "the key set changed between prepare and finish",
            ));
        }
        let Prepared {
            keys,
            token,
            header,
            payload,
            ..
        } = prepared;
        let key = self.reported_key(&header, &keys, key)?;
        self.conclude(&token, payload, header, key, now, presented)
    }

    /// The second half: re-runs every check of [`Verifier::prepare`] on
    /// `token`, then takes `key` (the index the host's crypto verified the
    /// signature with, or `None` when no key did) and reads the payload and
    /// checks the claims exactly as [`Verifier::verify`] does.
    ///
    /// `None` fails with `ERR_SIGNATURE_INVALID`, as `verify` would. A key
    /// that [`Verifier::prepare`] would not have offered for this token is a
    /// host bug and fails with `ERR_INTERNAL`, never an acceptance.
    pub fn finish(&self, token: &str, key: Option<usize>, now: i64) -> Result<Verified> {
        let (_, header, decoded) = self.check_header(token)?;
        let (offered, _) = self.offer(&header, decoded.signature)?;
        let key = self.reported_key(&header, &offered, key)?;
        self.conclude(
            token,
            decoded.payload,
            header,
            key,
            now,
            &Presentation::BEARER,
        )
    }

    /// The host's answer checked against the `offered` keys: `None` is a bad
    /// signature; a key that was not offered is a host bug.
    fn reported_key(&self, header: &Header, offered: &[usize], key: Option<usize>) -> Result<&Key> {
        let index = key.ok_or_else(|| Error::new(ErrorKind::SignatureInvalid))?;
        Some(index)
            .filter(|index| crypto::delegable(header.alg) && offered.contains(index))
            .and_then(|index| self.keys.keys().get(index))
            .ok_or_else(|| {
                Error::with_detail(
                    ErrorKind::Internal,
                    "the host reported a key that was not offered for this token",
                )
            })
    }

    /// What both `finish` methods share once the host's key is known: the
    /// payload read, the claims and the binding checked.
    fn conclude(
        &self,
        token: &str,
        payload: Payload,
        header: Header,
        key: &Key,
        now: i64,
        presented: &Presentation<'_>,
    ) -> Result<Verified> {
        self.accept(Self::signed(payload, header, key)?, token, now, presented)
    }

    /// Key selection and the signature decoded, as in [`Verifier::select`],
    /// then the candidates narrowed to those whose encoding the signature
    /// fits: what [`Verifier::prepare`] offers a host.
    fn offer(&self, header: &Header, signature: Option<Vec<u8>>) -> Result<(Vec<usize>, Vec<u8>)> {
        let (candidates, signature) = self.select(header, signature)?;
        let offered = candidates
            .into_iter()
            .filter(|&index| {
                self.keys
                    .keys()
                    .get(index)
                    .is_some_and(|key| crypto::well_formed(&key.material, header.alg, &signature))
            })
            .collect();
        Ok((offered, signature))
    }

    /// The signature layer: every check up to and including the signature,
    /// then the payload as bytes (decoded, not parsed). Only
    /// [`Verifier::verify`] and the Wycheproof runner (whose payloads are not
    /// claim sets) call it.
    pub(crate) fn verify_signature(&self, token: &str) -> Result<Signed<'_>> {
        let (segments, header, decoded) = self.check_header(token)?;
        let (candidates, signature) = self.select(&header, decoded.signature)?;
        let message = segments.signing_input.as_bytes();
        let key = candidates
            .into_iter()
            .filter_map(|index| self.keys.keys().get(index))
            .find(|key| crypto::verify(&key.material, header.alg, message, &signature))
            .ok_or_else(|| Error::new(ErrorKind::SignatureInvalid))?;
        Self::signed(decoded.payload, header, key)
    }

    /// Size, envelope, header rules, every symbol of the token, then the
    /// policy's algorithms and types; the payload and the signature decoded
    /// on the way.
    fn check_header<'t>(&self, token: &'t str) -> Result<(Segments<'t>, Header, Decoded)> {
        let segments = token::split(token, self.policy.max_token_size)?;
        let header = Header::parse(token::decode_segment(segments.header, "header")?)?;
        // `split` checked the header's symbols, and decoding the payload
        // and the signature checks theirs: a token is searched for the byte
        // to name only when one of them does not decode.
        let decoded = Decoded {
            payload: base64url::decode(segments.payload),
            signature: base64url::decode(segments.signature),
        };
        if decoded.payload.is_none() || decoded.signature.is_none() {
            token::check_alphabet(token)?;
        }
        if !self.policy.allows(header.alg) {
            return Err(Error::claim(
                ErrorKind::AlgNotAllowed,
                "alg",
                format!(
                    "{} is not in the policy's algorithms ({})",
                    header.alg.name(),
                    crate::text::quote_list(self.policy.algorithms.iter().map(|a| a.name()))
                ),
            ));
        }
        self.check_typ(&header)?;
        Ok((segments, header, decoded))
    }

    /// Key selection, then the decoded signature checked: the candidate keys
    /// (indices into the key set, in order) and the signature bytes.
    fn select(&self, header: &Header, signature: Option<Vec<u8>>) -> Result<(Vec<usize>, Vec<u8>)> {
        let candidates = self.keys.candidates(header.kid.as_deref(), header.alg)?;
        let signature = signature.filter(|bytes| !bytes.is_empty()).ok_or_else(|| {
            Error::with_detail(
                ErrorKind::TokenMalformed,
                "signature is empty or not canonical unpadded base64url",
            )
        })?;
        Ok((candidates, signature))
    }

    /// A token whose signature `key` verified, with its payload decoded.
    fn signed<'k>(payload: Payload, header: Header, key: &'k Key) -> Result<Signed<'k>> {
        Ok(Signed {
            header,
            payload: payload.ok_or_else(|| token::not_canonical("payload"))?,
            key,
        })
    }

    /// The payload parsed, its claims checked at `now`, then its binding
    /// against how it was presented.
    fn accept(
        &self,
        signed: Signed<'_>,
        token: &str,
        now: i64,
        presented: &Presentation<'_>,
    ) -> Result<Verified> {
        let Signed {
            header,
            payload,
            key,
        } = signed;
        let (claims, claims_json) = claims::read_payload(&self.policy, payload)?;
        claims::check(&self.policy, &claims, key.issuer(), now)?;
        let binding = binding::check(&self.policy, &claims, token, presented, now)?;
        Ok(Verified {
            claims_json,
            binding,
            key: KeyUsed {
                kid: key.kid().map(str::to_owned),
                alg: header.alg.name().to_owned(),
            },
            header_json: header.json,
        })
    }

    /// Re-checks only the time claims of a token this verifier has already
    /// verified, at a new time `now`: `exp`, `nbf` and `iat` with the clock
    /// tolerance, `maxTokenAge` and `maxLifetime`, exactly as
    /// [`Verifier::verify`] checks them. For verified-token caches, which must
    /// re-check times on every hit; every other check is time-independent.
    pub fn check_times(&self, times: Times, now: i64) -> Result<()> {
        claims::check_time_values(&self.policy, times, now)
    }

    fn check_typ(&self, header: &Header) -> Result<()> {
        if self.policy.typ.is_empty() {
            return Ok(());
        }
        let Some(typ) = &header.typ else {
            return Err(Error::claim(
                ErrorKind::TypInvalid,
                "typ",
                format!(
                    "the token has no typ; accepted: {}",
                    crate::text::quote_list(self.policy.typ.iter().map(String::as_str))
                ),
            ));
        };
        if self.policy.typ.iter().any(|want| same_typ(typ, want)) {
            Ok(())
        } else {
            Err(Error::claim(
                ErrorKind::TypInvalid,
                "typ",
                format!(
                    "{} is not one of the accepted types ({})",
                    crate::text::quote(typ),
                    crate::text::quote_list(self.policy.typ.iter().map(String::as_str))
                ),
            ))
        }
    }
}

#[cfg(test)]
mod check_table_tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::CHECKS;

    /// A check's id names one row, and a code belongs to one check: the
    /// decoder page finds the failing check by its code.
    #[test]
    fn ids_and_codes_are_each_in_one_check() {
        let mut ids: Vec<&str> = CHECKS.iter().map(|check| check.id).collect();
        let mut codes: Vec<&str> = CHECKS
            .iter()
            .flat_map(|check| check.codes.iter().map(|kind| kind.code()))
            .collect();
        let (id_count, code_count) = (ids.len(), codes.len());
        ids.sort_unstable();
        ids.dedup();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!((ids.len(), codes.len()), (id_count, code_count));
    }
}
