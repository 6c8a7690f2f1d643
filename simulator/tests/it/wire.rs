//! The exact bytes on the wire, read from a bare TCP socket: no HTTP library
//! between the simulator and the assertion.

use std::sync::Arc;

use scimulate_simulator::{
    AdminAction, ClientSettings, Dialect, Engine, OktaClient, Target, Token, VirtualClock,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::harness::{LOGIN, TOKEN, app, org};

/// Serves one connection: reads the request head, answers an empty list,
/// returns the head.
async fn capture_one(listener: TcpListener) -> String {
    let (mut socket, _) = listener.accept().await.expect("one connection");
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await.expect("readable");
        assert!(n > 0, "connection closed before the head ended");
        head.extend_from_slice(&buf[..n]);
    }
    let body = r#"{"totalResults":0,"Resources":[]}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(answer.as_bytes()).await.expect("writable");
    String::from_utf8(head).expect("ascii head")
}

#[tokio::test]
async fn the_existence_check_is_byte_exact_on_the_wire() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/scim/v2", listener.local_addr().unwrap());
    let server = tokio::spawn(capture_one(listener));
    let mut app = app(Dialect::Oin);
    app.provisioning.create_users = false;
    let client = OktaClient::new(
        Target::new(&base, Token::new(TOKEN)).unwrap(),
        ClientSettings::default(),
        Arc::new(VirtualClock::at_epoch()),
    )
    .unwrap();
    let mut engine = Engine::new(org(app), client);
    let outcome = engine
        .run(&AdminAction::Assign { user: LOGIN.into() })
        .await
        .unwrap();
    // Create Users is off, so the lookup is the only request.
    assert!(outcome.failure().is_some());
    let head = server.await.unwrap();
    let mut lines = head.split("\r\n");
    // §3.1 [DOC O-SCIM20]: %20, %22, %40 — never `+`.
    assert_eq!(
        lines.next(),
        Some(
            "GET /scim/v2/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100 HTTP/1.1"
        )
    );
    let headers: Vec<&str> = lines
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("host:"))
        .collect();
    // §2.1, in order; hyper writes lower-case names.
    assert_eq!(
        headers,
        [
            "user-agent: Okta SCIM Client 1.0.0",
            "accept: application/scim+json",
            "accept-charset: utf-8",
            "accept-encoding: gzip,deflate",
            &format!("authorization: Bearer {TOKEN}"),
        ]
    );
}
