//! Okta's timeout is 60 s of silence on the socket (docs/okta-wire.md#10-errors-retries-timeouts,
//! <https://developer.okta.com/docs/concepts/scim/faqs/>): a slow answer
//! that keeps sending completes; a silent one ends at the silence bound,
//! and the whole exchange stays capped by scimulate's own outer bound.

use std::sync::Arc;
use std::time::Duration;

use scimulate_simulator::{
    ClientSettings, OktaClient, Probe, SCIMULATE_USER_AGENT, Target, Token, VirtualClock,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::harness::TOKEN;

fn client(base: &str, settings: ClientSettings) -> OktaClient {
    OktaClient::new(
        Target::new(base, Token::new(TOKEN)).unwrap(),
        settings,
        Arc::new(VirtualClock::at_epoch()),
    )
    .unwrap()
}

/// Answers one request with a chunked list, one chunk every `gap`.
async fn trickle(listener: TcpListener, chunks: usize, gap: Duration) -> String {
    let (mut socket, _) = listener.accept().await.expect("one connection");
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await.expect("readable");
        assert!(n > 0, "connection closed before the head ended");
        head.extend_from_slice(&buf[..n]);
    }
    socket
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n[1,\r\n")
        .await
        .expect("writable");
    for _ in 0..chunks {
        tokio::time::sleep(gap).await;
        socket.write_all(b"2\r\n1,\r\n").await.expect("writable");
    }
    socket
        .write_all(b"1\r\n1\r\n1\r\n]\r\n0\r\n\r\n")
        .await
        .expect("writable");
    String::from_utf8(head).expect("ascii head")
}

#[tokio::test]
async fn an_answer_that_keeps_sending_outlives_the_silence_bound() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/scim/v2", listener.local_addr().unwrap());
    // 5 gaps of 300 ms: 1.5 s in all, longer than the 1 s silence bound,
    // but never 1 s without a byte. A whole-exchange cap of 1 s cut it.
    let server = tokio::spawn(trickle(listener, 5, Duration::from_millis(300)));
    let settings = ClientSettings {
        timeout: Duration::from_secs(20),
        read_timeout: Duration::from_secs(1),
        ..ClientSettings::default()
    };
    let exchange = client(&base, settings)
        .probe("verify", "list", Probe::page("Users", 1, 2))
        .await;
    assert_eq!(exchange.error, None);
    let body = exchange.response.expect("an answer").body;
    assert_eq!(body.json(), Some(&serde_json::json!([1, 1, 1, 1, 1, 1, 1])));
    let head = server.await.unwrap();
    // A probe is scimulate's own request, not Okta's.
    assert!(
        head.contains(&format!("user-agent: {SCIMULATE_USER_AGENT}\r\n")),
        "{head}"
    );
}

#[tokio::test]
async fn a_silent_server_ends_at_the_silence_bound_not_the_outer_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let settings = ClientSettings {
        timeout: Duration::from_secs(20),
        read_timeout: Duration::from_millis(200),
        ..ClientSettings::default()
    };
    let exchange = client(&server.uri(), settings)
        .probe("verify", "list", Probe::page("Users", 1, 2))
        .await;
    assert_eq!(exchange.response, None);
    assert_eq!(
        exchange.error.as_deref(),
        Some("timed out after 200 ms without a complete answer")
    );
}

#[test]
fn okta_s_silence_bound_is_the_default_and_the_outer_bound_is_longer() {
    let settings = ClientSettings::default();
    assert_eq!(settings.read_timeout, Duration::from_secs(60));
    assert!(settings.timeout > settings.read_timeout);
    assert_eq!(settings.timeout, Duration::from_secs(72));
    let mut set = ClientSettings::default();
    set.bound_silence(Duration::from_secs(5));
    assert_eq!(
        (set.read_timeout, set.timeout),
        (Duration::from_secs(5), Duration::from_secs(6))
    );
}
