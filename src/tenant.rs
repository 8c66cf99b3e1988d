//! Tenants and Entra ID's issuer forms: the `{tenantid}` template, tenant
//! ids (GUIDs), and what is nearly right about a refused issuer.
//!
//! A leaf: the policy's checks, the claim checks and the issuer router all
//! read these, and it reads none of them.

use crate::text::quote;

/// The placeholder an issuer template uses for the token's `tid` (Entra ID
/// multi-tenant issuers, e.g. `https://login.microsoftonline.com/{tenantid}/v2.0`).
pub const TENANT_PLACEHOLDER: &str = "{tenantid}";

/// Length of the GUID that fills `{tenantid}`.
pub(crate) const GUID_LEN: usize = 36;

/// Entra tenant ids are GUIDs: 8-4-4-4-12 hex digits.
pub(crate) fn is_guid(s: &str) -> bool {
    s.len() == GUID_LEN
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Whether `iss` equals `expected`, with `{tenantid}` (if any) filled by the
/// token's `tid`, which must then be a GUID.
pub(crate) fn issuer_matches(expected: &str, iss: &str, tid: Option<&str>) -> bool {
    if !expected.contains(TENANT_PLACEHOLDER) {
        return expected == iss;
    }
    match tid {
        Some(tid) if is_guid(tid) => expected.replace(TENANT_PLACEHOLDER, tid) == iss,
        _ => false,
    }
}

/// An Entra ID cloud's hosts (docs/entra.md, "National clouds"): where
/// metadata and the token endpoint live (`login`), and the hosts of its v2
/// and v1 issuers. v1 tokens name `https://<v1>/<tenant>/`, v2 tokens
/// `https://<v2>/<tenant>/v2.0`. The host layer's Entra preset and command
/// line read this table (the facts, `examples/facts.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntraCloud {
    /// The preset's name for the cloud: `public`, `usgov`, `china`.
    pub name: &'static str,
    /// The login host: metadata and the token endpoint.
    pub login: &'static str,
    /// The host of v2 issuers.
    pub v2: &'static str,
    /// The host of v1 issuers.
    pub v1: &'static str,
}

/// Every Entra ID cloud jwtguard knows. In China the issuers are on other
/// hosts than the login endpoint.
pub const ENTRA_CLOUDS: [EntraCloud; 3] = [
    EntraCloud {
        name: "public",
        login: "login.microsoftonline.com",
        v2: "login.microsoftonline.com",
        v1: "sts.windows.net",
    },
    EntraCloud {
        name: "usgov",
        login: "login.microsoftonline.us",
        v2: "login.microsoftonline.us",
        v1: "sts.windows.net",
    },
    EntraCloud {
        name: "china",
        login: "login.chinacloudapi.cn",
        v2: "login.partner.microsoftonline.cn",
        v1: "sts.chinacloudapi.cn",
    },
];

/// The token version and tenant (a GUID or `{tenantid}`) of an Entra issuer.
fn entra_form(issuer: &str) -> Option<(u8, &str)> {
    let rest = issuer.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    if let Some(tenant) = path.strip_suffix("/v2.0") {
        return ENTRA_CLOUDS
            .iter()
            .any(|cloud| cloud.v2 == host)
            .then_some((2, tenant));
    }
    let tenant = path.strip_suffix('/')?;
    ENTRA_CLOUDS
        .iter()
        .any(|cloud| cloud.v1 == host)
        .then_some((1, tenant))
}

/// The authorize endpoint of an Entra issuer's tenant (OAuth 2.0 for a v2
/// issuer, the v1 endpoint for a v1 one) on its cloud's login host, or
/// `None` for any other issuer (or a tenant that is not a GUID). A v1
/// issuer host that several clouds share names the first of them.
pub(crate) fn authorize_endpoint(issuer: &str) -> Option<String> {
    let (version, tenant) = entra_form(issuer).filter(|(_, tenant)| is_guid(tenant))?;
    let host = issuer.strip_prefix("https://")?.split('/').next()?;
    let cloud = ENTRA_CLOUDS.iter().find(|cloud| match version {
        2 => cloud.v2 == host,
        _ => cloud.v1 == host,
    })?;
    let path = if version == 2 {
        "oauth2/v2.0"
    } else {
        "oauth2"
    };
    Some(format!("https://{}/{tenant}/{path}/authorize", cloud.login))
}

/// What is nearly right about a refused `iss`, as a detail suffix (empty
/// when nothing is): an accepted issuer that differs only by a trailing
/// slash; the same tenant's other Entra token version; another tenant.
/// Configuration mistakes of these three kinds are the most reported
/// problem of every Entra validator.
pub(crate) fn diagnose(accepted: &[String], iss: &str, tid: Option<&str>) -> String {
    let filled: Vec<String> = accepted
        .iter()
        .map(|a| match tid {
            Some(tid) if is_guid(tid) => a.replace(TENANT_PLACEHOLDER, tid),
            _ => a.clone(),
        })
        .collect();
    if let Some(near) = filled
        .iter()
        .find(|a| a.trim_end_matches('/') == iss.trim_end_matches('/'))
    {
        return format!(
            "; the accepted issuer {} differs only by a trailing slash",
            quote(near)
        );
    }
    let Some((version, tenant)) = entra_form(iss) else {
        return String::new();
    };
    let forms: Vec<(u8, &str)> = filled.iter().filter_map(|a| entra_form(a)).collect();
    let same_tenant = |t: &str| t == tenant || t == TENANT_PLACEHOLDER;
    if let Some((other, _)) = forms.iter().find(|(v, t)| *v != version && same_tenant(t)) {
        return format!(
            "; this is an entra v{version} token and only v{other} issuers are accepted: \
             set requestedAccessTokenVersion to {other} in the api's app registration \
             (manifest), or accept v{version} tokens"
        );
    }
    if let Some((_, other)) = forms.iter().find(|(_, t)| !same_tenant(t)) {
        return format!(
            "; the token is from tenant {}, the accepted issuers name tenant {}",
            quote(tenant),
            quote(other)
        );
    }
    String::new()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const V2: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn authorize_endpoints_of_entra_issuers() {
        let table: &[(String, Option<String>)] = &[
            (
                format!("https://login.microsoftonline.com/{TID}/v2.0"),
                Some(format!(
                    "https://login.microsoftonline.com/{TID}/oauth2/v2.0/authorize"
                )),
            ),
            (
                format!("https://sts.windows.net/{TID}/"),
                Some(format!(
                    "https://login.microsoftonline.com/{TID}/oauth2/authorize"
                )),
            ),
            (
                format!("https://login.partner.microsoftonline.cn/{TID}/v2.0"),
                Some(format!(
                    "https://login.chinacloudapi.cn/{TID}/oauth2/v2.0/authorize"
                )),
            ),
            (
                format!("https://login.microsoftonline.us/{TID}/v2.0"),
                Some(format!(
                    "https://login.microsoftonline.us/{TID}/oauth2/v2.0/authorize"
                )),
            ),
            (V2.to_owned(), None),
            ("https://login.microsoftonline.com/common/v2.0".into(), None),
            ("https://idp.example.com/".into(), None),
            (format!("https://evil.example/{TID}/v2.0"), None),
        ];
        for (issuer, want) in table {
            assert_eq!(authorize_endpoint(issuer), *want, "{issuer}");
        }
    }

    #[test]
    fn guids_and_issuer_templates() {
        let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        assert!(is_guid(tid));
        for bad in [
            "",
            "common",
            "{tenantid}",
            "../x",
            "72f988bf-86f1-41af-91ab-2d7cd011db4",
            "72f988bf_86f1-41af-91ab-2d7cd011db47",
        ] {
            assert!(!is_guid(bad), "{bad}");
        }
        let template = "https://login.microsoftonline.com/{tenantid}/v2.0";
        let iss = format!("https://login.microsoftonline.com/{tid}/v2.0");
        assert!(issuer_matches(template, &iss, Some(tid)));
        assert!(!issuer_matches(
            template,
            &iss,
            Some("00000000-0000-0000-0000-000000000000")
        ));
        assert!(!issuer_matches(template, template, Some("{tenantid}")));
        assert!(!issuer_matches(template, &iss, None));
        assert!(issuer_matches("https://a", "https://a", None));
        assert!(!issuer_matches("https://a", "https://a/", None));
    }

    #[test]
    fn refused_issuers_say_what_is_nearly_right() {
        let other = "00000000-0000-0000-0000-0000000000aa";
        let v1 = |t: &str| format!("https://sts.windows.net/{t}/");
        let v2 = |t: &str| format!("https://login.microsoftonline.com/{t}/v2.0");
        let table: &[(Vec<String>, String, Option<&str>, &str)] = &[
            (
                vec![v1(TID).trim_end_matches('/').into()],
                v1(TID),
                Some(TID),
                "trailing slash",
            ),
            (
                vec!["https://issuer.example/".into()],
                "https://issuer.example".into(),
                None,
                "trailing slash",
            ),
            (
                vec![v2(TID)],
                v1(TID),
                Some(TID),
                "entra v1 token and only v2",
            ),
            (
                vec![V2.into()],
                v1(TID),
                Some(TID),
                "entra v1 token and only v2",
            ),
            (
                vec![v1(TID)],
                v2(TID),
                Some(TID),
                "entra v2 token and only v1",
            ),
            (vec![v2(TID)], v2(other), Some(other), "from tenant"),
            (vec![v1(TID)], v1(other), Some(other), "from tenant"),
            (
                vec!["https://issuer.example".into()],
                "https://other.example".into(),
                None,
                "",
            ),
            (
                vec![v2(TID)],
                "https://evil.example/x/v2.0".into(),
                None,
                "",
            ),
        ];
        for (accepted, iss, tid, want) in table {
            let hint = diagnose(accepted, iss, *tid);
            if want.is_empty() {
                assert_eq!(hint, "", "{iss}");
            } else {
                assert!(hint.contains(want), "{iss}: {hint}");
            }
        }
    }
}
