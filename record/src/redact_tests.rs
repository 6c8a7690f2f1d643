//! Each form a server can echo the token in, redacted; text without it
//! left as it is.

use super::*;

const TOKEN: &str = "Tk9-aZ/q+Xw_3e";

fn redacted(text: &str) -> String {
    Redactor::for_secret(TOKEN).redact(text).into_owned()
}

fn assert_gone(text: &str) {
    let out = redacted(text);
    assert!(out.contains(REDACTED), "{text:?} -> {out:?}");
    for part in ["Tk9-aZ", "Tk9", "aZ/q", "Xw_3e", "q+Xw"] {
        assert!(
            !out.to_ascii_lowercase()
                .contains(&part.to_ascii_lowercase()),
            "{text:?} -> {out:?} keeps {part:?}"
        );
    }
}

#[test]
fn plain_and_in_any_ascii_case() {
    assert_eq!(redacted(&format!("a {TOKEN} b")), "a [REDACTED] b");
    assert_eq!(redacted("x-tk9-az/q+xw_3e: 1"), "x-[REDACTED]: 1");
    assert_eq!(redacted("X-TK9-AZ/Q+XW_3E"), "X-[REDACTED]");
}

#[test]
fn trimmed_and_untrimmed() {
    let redactor = Redactor::for_secret(" tok-with-space\t");
    assert_eq!(redactor.redact("got tok-with-space."), "got [REDACTED].");
    assert_eq!(redactor.redact("got  tok-with-space\t."), "got [REDACTED].");
}

#[test]
fn percent_encoded_either_case_and_plus_for_space() {
    assert_gone("next=Tk9-aZ%2Fq%2BXw_3e&count=1");
    assert_gone("next=Tk9-aZ%2fq%2bXw_3e");
    assert_gone("next=%54%6b%39%2D%61%5A%2F%71%2B%58%77%5F%33%65");
    let redactor = Redactor::for_secret("two words here");
    assert_eq!(redactor.redact("q=two+words%20here&x"), "q=[REDACTED]&x");
}

#[test]
fn json_escaped() {
    assert_gone(r#"{"detail":"Tk9-aZ\/q+Xw_3e"}"#);
    assert_gone(r#"{"detail":"\u0054k9-aZ\u002Fq\u002bXw_3e"}"#);
    let redactor = Redactor::for_secret("quo\"te\\back");
    assert_eq!(redactor.redact(r#""quo\"te\\back""#), r#""[REDACTED]""#);
    let redactor = Redactor::for_secret("emoji😀token");
    assert_eq!(redactor.redact(r#"emoji\ud83d\ude00token"#), "[REDACTED]");
}

#[test]
fn base64_standard_and_url_safe_padded_or_not_at_any_alignment() {
    // base64 of the token and of 1, 2 and 3 bytes before it, in both
    // alphabets (computed independently with coreutils' base64 / basenc).
    for encoded in [
        "VGs5LWFaL3ErWHdfM2U=",
        "VGs5LWFaL3ErWHdfM2U",
        "YTpUazktYVovcStYd18zZQ==",
        "YTpUazktYVovcStYd18zZQ",
        "YWI6VGs5LWFaL3ErWHdfM2U=",
        "YWJjOlRrOS1hWi9xK1h3XzNl",
    ] {
        assert_gone(&format!("Authorization: Basic {encoded}"));
        assert_eq!(
            redacted(&format!("Basic {encoded}, more")),
            "Basic [REDACTED], more"
        );
    }
    // `+` and `/` in the standard alphabet, `-` and `_` in the URL-safe
    // one (coreutils' base64 and basenc --base64url).
    let redactor = Redactor::for_secret("a???>>>~~~b");
    for encoded in [
        "YT8/Pz4+Pn5+fmI=",
        "YT8_Pz4-Pn5-fmI",
        "dTphPz8/Pj4+fn5+Yg==",
        "dTphPz8_Pj4-fn5-Yg",
        "dXM6YT8/Pz4+Pn5+fmI=",
        "dXM6YT8_Pz4-Pn5-fmI=",
    ] {
        assert_eq!(redactor.redact(&format!("[{encoded}]")), "[[REDACTED]]");
    }
}

#[test]
fn a_token_cut_by_a_marker_loses_its_first_half_too() {
    assert_eq!(redacted("detail: Tk9-aZ/…"), "detail: [REDACTED]…");
    assert_eq!(
        redacted("text Tk9-aZ%2Fq[truncated: 9 of 20 bytes shown]"),
        "text [REDACTED][truncated: 9 of 20 bytes shown]"
    );
    assert_eq!(
        redacted("Basic VGs5LWFaL…"),
        "Basic […]".replace("[…]", "[REDACTED]…")
    );
    // Two characters say nothing; an ordinary ellipsis stays.
    assert_eq!(redacted("and so on Tk…"), "and so on Tk…");
    assert_eq!(redacted("and so on…"), "and so on…");
}

#[test]
fn text_without_the_token_is_left_alone() {
    for text in [
        "scimType",
        "{\"scimType\":\"uniqueness\"}",
        "%2F%2B\\u0041 + \\/",
        "VGhlIHF1aWNrIGJyb3du",
        "",
    ] {
        assert!(matches!(
            Redactor::for_secret(TOKEN).redact(text),
            Cow::Borrowed(_)
        ));
    }
    // A one-letter token the server never echoed leaves `scimType` whole
    // when it is not in it, and only output is ever redacted.
    assert_eq!(Redactor::for_secret("q").redact("scimType"), "scimType");
}

#[test]
fn json_keys_and_values_are_redacted() {
    let mut value = serde_json::json!({
        "Tk9-aZ/q+Xw_3e": "x",
        "list": ["a Tk9-aZ/q+Xw_3e b", 1, null],
        "scimType": "invalidValue",
    });
    Redactor::for_secret(TOKEN).redact_value(&mut value);
    assert_eq!(
        value,
        serde_json::json!({
            "[REDACTED]": "x",
            "list": ["a [REDACTED] b", 1, null],
            "scimType": "invalidValue",
        })
    );
}

#[test]
fn nothing_is_redacted_without_a_secret_and_debug_hides_it() {
    assert_eq!(Redactor::none().redact(TOKEN), TOKEN);
    assert_eq!(Redactor::for_secret("  ").redact("  "), "  ");
    assert!(!format!("{:?}", Redactor::for_secret(TOKEN)).contains("Tk9"));
}
