//! The rules a new e-mail address must pass (backend/API.md, "Domains").
//!
//! 1Password provisions company addresses only: public mail providers such as
//! gmail.com are not supported, and an address outside the account's allowed
//! domains cannot be used until the domain is added
//! (docs/1password.md#4-limits-and-troubleshooting and §2.3).

use crate::model::{ErrorBody, Refusal};

/// Public mail providers refused with `public_domain` (backend/API.md).
pub const PUBLIC_DOMAINS: [&str; 18] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.com",
    "gmx.net",
    "proton.me",
    "protonmail.com",
    "mail.com",
    "yandex.com",
    "zoho.com",
];

/// The key an address is compared by: e-mail is compared ASCII
/// case-insensitively (backend/API.md, "E-mail").
pub fn email_key(email: &str) -> String {
    email.to_ascii_lowercase()
}

/// Whether two addresses are the same identity.
pub fn same_email(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether `email` looks like `local@domain.tld`: one `@`, a local part
/// without spaces, and a domain of at least two dot-separated labels of
/// letters, digits and inner hyphens.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '@');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok && email.len() <= 254
}

/// The part after the `@`, if any.
pub fn domain_of(email: &str) -> Option<&str> {
    email.split_once('@').map(|(_, domain)| domain)
}

/// `invalid_email` unless `email` looks like an address.
pub fn check_format(email: &str) -> Result<(), ErrorBody> {
    if is_email(email) {
        Ok(())
    } else {
        Err(ErrorBody::new(
            Refusal::InvalidEmail,
            format!("{email:?} is not an e-mail address (expected local@domain.tld)"),
        ))
    }
}

/// `public_domain` or `domain_not_allowed` unless the account may use the
/// domain of `email` (an address that already passed [`check_format`]).
pub fn check_domain(email: &str, allowed: &[String]) -> Result<(), ErrorBody> {
    let domain = domain_of(email).unwrap_or_default();
    if PUBLIC_DOMAINS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(domain))
    {
        return Err(ErrorBody::new(
            Refusal::PublicDomain,
            format!(
                "{domain} is a public mail provider; 1Password provisions company addresses only"
            ),
        ));
    }
    if !allowed.is_empty() && !allowed.iter().any(|a| a.eq_ignore_ascii_case(domain)) {
        return Err(ErrorBody::new(
            Refusal::DomainNotAllowed,
            format!(
                "{domain} is not one of the account's allowed domains ({})",
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_local_part_domain_and_tld() {
        for good in ["bob@acme.com", "Bob.B+x@mail.acme.co.uk", "a@b-c.io"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "bob",
            "bob@",
            "@acme.com",
            "bob@acme",
            "bob@acme.",
            "bob@.com",
            "bob@@acme.com",
            "bob smith@acme.com",
            "bob@ac me.com",
            "bob@-acme.com",
            "bob@acme_corp.com",
        ] {
            assert!(!is_email(bad), "{bad}");
            assert_eq!(check_format(bad).unwrap_err().error, Refusal::InvalidEmail);
        }
    }

    #[test]
    fn public_providers_are_refused_in_any_case() {
        for email in ["carol@gmail.com", "carol@GMAIL.com", "x@proton.me"] {
            let refusal = check_domain(email, &[]).unwrap_err();
            assert_eq!(refusal.error, Refusal::PublicDomain, "{email}");
        }
        // Even when someone put the provider in the allowed list.
        let refusal = check_domain("carol@gmail.com", &["gmail.com".into()]).unwrap_err();
        assert_eq!(refusal.error, Refusal::PublicDomain);
    }

    #[test]
    fn allowed_domains_compare_case_insensitively() {
        let allowed = vec!["acme.com".to_string(), "Acme.IO".to_string()];
        assert!(check_domain("bob@ACME.com", &allowed).is_ok());
        assert!(check_domain("bob@acme.io", &allowed).is_ok());
        let refusal = check_domain("bob@example.com", &allowed).unwrap_err();
        assert_eq!(refusal.error, Refusal::DomainNotAllowed);
        assert_eq!(
            refusal.detail,
            "example.com is not one of the account's allowed domains (acme.com, Acme.IO)"
        );
    }

    #[test]
    fn no_allowed_domains_means_any_company_domain() {
        assert!(check_domain("bob@example.com", &[]).is_ok());
    }

    #[test]
    fn email_identity_is_ascii_case_insensitive() {
        assert!(same_email("Bob@Acme.com", "bob@acme.COM"));
        assert_eq!(email_key("Bob@Acme.com"), "bob@acme.com");
    }
}
