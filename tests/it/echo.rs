//! A hostile loopback target that echoes the bearer token in every form a
//! server can: as a header *name* (`x-<token>: 1`), in header values, in a
//! percent-encoded `Location`, base64 (standard and URL-safe, padded or
//! not, and as `Basic base64(user:token)`), JSON-escaped (`\uXXXX`) in a
//! body, and in a text body where it straddles the record's 64 KiB cut.
//! One run writes every report, with `RUST_LOG=trace`; no output file,
//! stdout or stderr may hold the token or any of its forms.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::cli::{output, scimulate, transcript};

/// Letters of both cases, digits and `+` (allowed in a header name, and
/// encoded differently by each scheme).
const TOKEN: &str = "EchoTok+9f3Kq2Zx-71vB";

/// What the record keeps of a text body (`scimulate_record::TEXT_CAP`).
const TEXT_CAP: usize = 64 * 1024;

fn base64(input: &[u8], url_safe: bool, pad: bool) -> String {
    let alphabet: &[u8; 64] = if url_safe {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
        }
        if pad {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

fn percent(text: &str, lower: bool) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => char::from(b).to_string(),
            _ if lower => format!("%{b:02x}"),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn json_escaped(text: &str) -> String {
    text.chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect()
}

/// Every form the server echoes, and the parts of the token a leak would
/// show.
fn forms() -> Vec<String> {
    let mut forms = vec![
        TOKEN.to_string(),
        TOKEN.to_ascii_lowercase(),
        percent(TOKEN, false),
        percent(TOKEN, true),
        json_escaped(TOKEN),
        base64(TOKEN.as_bytes(), false, true),
        base64(TOKEN.as_bytes(), true, false),
        base64(format!("ada:{TOKEN}").as_bytes(), false, true),
        base64(format!("ad:{TOKEN}").as_bytes(), true, false),
        // Halves: a cut token must not leave either.
        TOKEN[..10].to_string(),
        TOKEN[10..].to_string(),
    ];
    forms.push(forms[0][..10].to_ascii_lowercase());
    forms
}

/// The answer to every request: a 400 SCIM error echoing every form, or
/// (for `/ServiceProviderConfig`) a text body with the token across the
/// 64 KiB cut.
fn answer(path: &str) -> String {
    let (content_type, body) = if path.contains("ServiceProviderConfig") {
        let mut text = "x".repeat(TEXT_CAP - 8);
        text.push_str(TOKEN);
        text.push_str(&"y".repeat(100));
        ("text/plain", text)
    } else {
        let body = format!(
            r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"bad token {TOKEN} ({})","{TOKEN}":"{}","b64":"{}"}}"#,
            json_escaped(TOKEN),
            percent(TOKEN, true),
            base64(TOKEN.as_bytes(), false, true),
        );
        ("application/scim+json", body)
    };
    format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         x-{TOKEN}: 1\r\nX-Echo: {TOKEN}\r\nX-Basic: Basic {}\r\nX-B64: {}\r\n\
         Location: http://127.0.0.1/scim/v2/Users/{}\r\nConnection: close\r\n\r\n{body}",
        body.len(),
        base64(format!("ada:{TOKEN}").as_bytes(), false, true),
        base64(TOKEN.as_bytes(), true, false),
        percent(TOKEN, false),
    )
}

async fn serve(mut stream: TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buf.len() > 1 << 20 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(str::to_owned))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0usize)
        .min(1 << 20);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let _ = stream.write_all(answer(&path).as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn start() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(tokio::time::timeout(Duration::from_secs(30), serve(stream)));
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_holds_the_token_in_any_form_a_target_echoed() {
    let addr = start().await;
    let dir = tempfile::tempdir().expect("a scratch folder");
    let file = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (json, junit, html, har) = (file("r.json"), file("r.xml"), file("r.html"), file("r.har"));
    let base_url = format!("http://{addr}/scim/v2");
    let args: Vec<String> = [
        "run",
        "--base-url",
        &base_url,
        "--token",
        TOKEN,
        "--timeout",
        "2s",
        "--deadline",
        "40s",
        "--verbose",
        "--report-json",
        &json,
        "--junit",
        &junit,
        "--html",
        &html,
        "--har",
        &har,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut command = scimulate(&args);
        command.env("RUST_LOG", "trace");
        output(command)
    })
    .await
    .expect("the child's runner does not panic");
    let text = transcript(&out);
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "a run against a server that refuses everything fails: {text}"
    );
    let mut outputs = vec![
        ("stdout", String::from_utf8_lossy(&out.stdout).into_owned()),
        ("stderr", String::from_utf8_lossy(&out.stderr).into_owned()),
    ];
    for path in [&json, &junit, &html, &har] {
        let written =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        outputs.push((path.as_str(), written));
    }
    // The server was heard: its echoes reached the record.
    let har_text = &outputs[5].1;
    assert!(
        har_text.contains("x-[REDACTED]"),
        "the header name echo is in the HAR, redacted"
    );
    assert!(
        har_text.contains("[truncated"),
        "the 64 KiB cut is in the HAR"
    );
    for (name, written) in &outputs {
        for form in forms() {
            assert!(
                !written.contains(&form),
                "{name} holds the token as {form:?}"
            );
        }
        if let Some(at) = written.to_ascii_lowercase().find("echotok") {
            let around: String = written[at.saturating_sub(200)..]
                .chars()
                .take(300)
                .collect();
            panic!("{name} holds part of the token: …{around}…");
        }
    }
}
