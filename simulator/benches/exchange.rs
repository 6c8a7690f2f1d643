//! The harness's cost per exchange: the same GET sent N times to a
//! loopback server that answers at once with fixed bytes, once with a bare
//! reqwest client and once through [`OktaClient`] (Okta's headers, the
//! deadline, the body read under its cap, JSON parsed, the token redacted,
//! the body kept as compact text, the exchange numbered and recorded). The
//! difference is what scimulate adds to each request.
//!
//! `cargo bench -p scimulate-simulator --bench exchange` prints figures, it
//! asserts nothing (BENCHMARKS.md). Talks to 127.0.0.1 only; the server is a
//! task of this process and ends with it.

#![allow(clippy::print_stdout, reason = "a bench prints its figures")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use scimulate_simulator::{ClientSettings, OktaClient, Probe, Target, Token, VirtualClock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Requests per round.
const N: usize = 1000;

/// A user as the reference bridge lists it.
fn user(n: usize) -> serde_json::Value {
    serde_json::json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("M{n:025}"),
        "userName": format!("member-{n:05}@acme.com"),
        "name": {"givenName": "Member", "familyName": format!("{n:05}")},
        "displayName": format!("Member {n:05}"),
        "emails": [{"value": format!("member-{n:05}@acme.com"), "primary": true, "type": "work"}],
        "active": true,
        "meta": {
            "resourceType": "User",
            "created": "2026-01-01T00:00:00Z",
            "lastModified": "2026-01-01T00:00:00Z",
            "location": format!("http://127.0.0.1/scim/v2/Users/M{n:025}"),
            "version": "W/\"1\""
        }
    })
}

/// A ListResponse of `count` users.
fn page(count: usize) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": count,
        "startIndex": 1,
        "itemsPerPage": count,
        "Resources": (1..=count).map(user).collect::<Vec<_>>(),
    }))
    .expect("JSON")
}

/// Serves `body` to every request on keep-alive connections.
async fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("loopback");
    let address = listener.local_addr().expect("address");
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/scim+json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response: Arc<[u8]> = response.into();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    let Ok(read) = socket.read(&mut buffer[filled..]).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    filled += read;
                    // Requests carry no body (GET): each ends with a blank line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                    if filled == buffer.len() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}/scim/v2")
}

/// Requests per round; rounds alternate between the two clients, and each
/// figure is the median round (the first of each is a warm-up), so a busy
/// neighbour on the machine moves both alike.
const ROUNDS: usize = 7;

async fn bare_round(http: &reqwest::Client, url: &str) -> Duration {
    let start = Instant::now();
    for _ in 0..N {
        let response = http
            .get(url)
            .header("accept", "application/scim+json")
            .send()
            .await
            .expect("answer");
        std::hint::black_box(response.bytes().await.expect("body"));
    }
    start.elapsed()
}

async fn recorded_round(client: &OktaClient) -> Duration {
    let start = Instant::now();
    for n in 0..N {
        let exchange = client
            .probe("bench", "page", Probe::page("Users", 1, 100))
            .await;
        std::hint::black_box(exchange);
        // Bounded memory: a run keeps its transcript, the bench does not.
        if n % 500 == 499 {
            std::hint::black_box(client.take_exchanges());
        }
    }
    start.elapsed()
}

/// Median per-exchange time of `rounds` (the first dropped), in µs.
fn median_us(mut rounds: Vec<Duration>) -> f64 {
    rounds.remove(0);
    rounds.sort();
    rounds[rounds.len() / 2].as_secs_f64() * 1e6 / N as f64
}

/// (bare reqwest, through OktaClient) per exchange, in µs.
async fn measure(base: &str) -> (f64, f64) {
    let http = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .expect("client");
    let url = format!("{base}/Users?startIndex=1&count=100");
    let target = Target::new(base, Token::new("bench-token")).expect("target");
    let client = OktaClient::new(
        target,
        ClientSettings::default(),
        Arc::new(VirtualClock::at_epoch()),
    )
    .expect("client");
    let (mut bare, mut through) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        bare.push(bare_round(&http, &url).await);
        through.push(recorded_round(&client).await);
    }
    (median_us(bare), median_us(through))
}

fn main() {
    // reqwest is built without a crypto provider (shared/reference/crates.md).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        println!(
            "per exchange, median of {} rounds of {N} sequential GETs to a loopback server \
             answering fixed bytes:",
            ROUNDS - 1
        );
        for (label, users) in [("one user", 1), ("a page of 100 users", 100)] {
            let body = page(users);
            let base = serve(body.clone()).await;
            let (plain, through) = measure(&base).await;
            println!(
                "  {label:<20} ({:>6} bytes): bare reqwest {plain:>7.1} µs, scimulate \
                 {through:>7.1} µs, harness overhead {:>6.1} µs",
                body.len(),
                through - plain
            );
        }
    });
}
