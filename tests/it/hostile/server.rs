//! The hostile target: a raw HTTP/1.1 server on 127.0.0.1 that misbehaves
//! in one chosen way per run. Raw tokio sockets rather than axum, because
//! most modes break HTTP itself (silence, trickles, resets, endless bodies,
//! TLS expected and garbage sent). Every loop is bounded and every
//! connection task ends when the test's runtime does.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server misbehaves.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// Accepts, reads the request, never answers.
    Silent,
    /// Answers one byte a second.
    Trickle,
    /// Sends the head of a 200 at once, then its body a byte a second.
    TrickleBody,
    /// Sends the head of a 200 announcing 1000 bytes, then a few of them,
    /// and keeps the connection open without another byte.
    ShortBody,
    /// 500 with a SCIM error, complete, after `delay_ms`: slow, not dead.
    Slow { delay_ms: u64 },
    /// Announces a 1 GiB body and streams it until the client gives up.
    Huge,
    /// 200 with a body that is not JSON.
    InvalidJson,
    /// 200 with JSON of the wrong shape (strings for numbers, objects for
    /// lists, nulls for ids).
    WrongShape,
    /// 200 with an HTML page as `text/html`.
    WrongContentType,
    /// 307 to another host and port (`to`).
    Redirect { to: SocketAddr },
    /// Starts a body, then resets the connection.
    ResetMidBody,
    /// 500 with a SCIM error, always.
    ErrorStorm,
    /// 429 with `Retry-After` of a billion seconds, always.
    RateLimitForever,
    /// Garbage where a TLS server hello should be (the client speaks https).
    NotTls,
    /// 500 for the first `answered` requests, then silence.
    StormThenSilence { answered: usize },
}

/// A running hostile server; it stops with the runtime that spawned it.
pub struct Hostile {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Hostile {
    /// Binds 127.0.0.1:0 (listening before this returns) and serves `mode`.
    pub async fn start(mode: Mode) -> Hostile {
        Self::start_on("127.0.0.1:0", mode).await
    }

    pub async fn start_on(bind: &str, mode: Mode) -> Hostile {
        let listener = TcpListener::bind(bind).await.expect("a loopback port");
        let addr = listener.local_addr().expect("a local address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, mode, n));
            }
        });
        Hostile { addr, requests }
    }

    /// `http://127.0.0.1:PORT/scim/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/scim/v2", self.addr)
    }

    /// Connections accepted so far (each carries one request: every answer
    /// says `Connection: close`).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The longest any connection is kept: a safety net for the test runner,
/// far beyond every bound scimulate is given in these tests.
const HOLD_AT_MOST: Duration = Duration::from_secs(120);

async fn serve(mut stream: TcpStream, mode: Mode, n: usize) {
    if !matches!(mode, Mode::NotTls) {
        let _ = tokio::time::timeout(Duration::from_secs(10), read_request(&mut stream)).await;
    }
    let _ = tokio::time::timeout(HOLD_AT_MOST, answer(&mut stream, mode, n)).await;
}

/// Reads the head and a `Content-Length` body, at most 1 MiB in all.
async fn read_request(stream: &mut TcpStream) {
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
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn response(status: &str, content_type: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    )
}

const SCIM: &str = "application/scim+json";

async fn answer(stream: &mut TcpStream, mode: Mode, n: usize) {
    let text = match mode {
        Mode::Silent => return hold(stream).await,
        Mode::StormThenSilence { answered } if n >= answered => return hold(stream).await,
        Mode::Trickle => {
            let body = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#;
            for byte in response("200 OK", SCIM, "", body).bytes() {
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            return;
        }
        Mode::TrickleBody => {
            let body = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {SCIM}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in body.bytes() {
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            return;
        }
        Mode::ShortBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {SCIM}\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{\"schemas\":[\"urn:"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let _ = stream.flush().await;
            return hold(stream).await;
        }
        Mode::Slow { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            response(
                "500 Internal Server Error",
                SCIM,
                "",
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"slow"}"#,
            )
        }
        Mode::Huge => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {SCIM}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                1u64 << 30
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..(1 << 30) / chunk.len() {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            return;
        }
        Mode::InvalidJson => response("200 OK", SCIM, "", r#"{"Resources": [{"id": "#),
        Mode::WrongShape => response(
            "200 OK",
            SCIM,
            "",
            r#"{"schemas":"ListResponse","totalResults":"many","startIndex":[],"Resources":{"id":null},"id":7,"userName":{"x":[]},"active":"yes","members":"all","patch":{"supported":"maybe"}}"#,
        ),
        Mode::WrongContentType => response(
            "200 OK",
            "text/html; charset=utf-8",
            "",
            "<html><body><h1>Welcome to our portal</h1></body></html>",
        ),
        Mode::Redirect { to } => response(
            "307 Temporary Redirect",
            SCIM,
            &format!("Location: http://{to}/scim/v2/Users\r\n"),
            "",
        ),
        Mode::ResetMidBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {SCIM}\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{\"schemas\":[\"urn:"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.flush().await;
            // Linger 0: closing sends RST, not FIN.
            let _ = stream.set_zero_linger();
            return;
        }
        Mode::ErrorStorm | Mode::StormThenSilence { .. } => response(
            "500 Internal Server Error",
            SCIM,
            "",
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"storm"}"#,
        ),
        Mode::RateLimitForever => response(
            "429 Too Many Requests",
            SCIM,
            "Retry-After: 1000000000\r\n",
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429","detail":"slow down"}"#,
        ),
        Mode::NotTls => {
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nthis is not TLS".into()
        }
    };
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Keeps the connection open without a byte, until the client closes it.
async fn hold(stream: &mut TcpStream) {
    let mut sink = [0u8; 1024];
    loop {
        match stream.read(&mut sink).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
