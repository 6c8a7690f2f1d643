//! "Your bridge", for the example: it serves SCIM on 127.0.0.1 from a
//! background thread, the way a bridge's tests would start it. Here it is
//! scimulate's reference bridge over its fake 1Password account; in your
//! repository it is your own server.

use std::sync::mpsc;

use scimulate_backend::{AccountSeed, Backend, BackendOptions};
use scimulate_bridge::{BridgeConfig, FaultSet};

/// A running bridge.
pub struct RunningBridge {
    pub base_url: String,
    pub token: String,
    /// The fake account's API the bridge calls (your bridge would have its
    /// own backend; give scimulate this URL only if it uses scimulate's).
    pub backend_url: String,
}

/// Starts the bridge on a thread of its own; it serves until the process
/// ends (a test binary's `main` returning).
pub fn start() -> Result<RunningBridge, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => {
                let _ = tx.send(Err(format!("no runtime: {e}")));
                return;
            }
        };
        runtime.block_on(async move {
            let backend = Backend::start(AccountSeed::default(), BackendOptions::default()).await;
            let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                Ok(listener) => listener,
                Err(e) => {
                    let _ = tx.send(Err(format!("cannot listen: {e}")));
                    return;
                }
            };
            let token = "example-bridge-token";
            let config = BridgeConfig::new(&backend.url(), token, FaultSet::none());
            match scimulate_bridge::spawn(listener, config) {
                Ok(bridge) => {
                    let _ = tx.send(Ok(RunningBridge {
                        base_url: bridge.base_url(),
                        token: token.to_string(),
                        backend_url: backend.url(),
                    }));
                    // Serve until the process ends.
                    std::future::pending::<()>().await;
                    drop(bridge);
                }
                Err(e) => {
                    let _ = tx.send(Err(format!("cannot start: {e}")));
                }
            }
        });
    });
    rx.recv()
        .map_err(|_| "the bridge thread ended before it started".to_string())?
}
