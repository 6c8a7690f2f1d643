//! Peer servers: starting the third-party SCIM servers of
//! `../shared/targets` and killing them again.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::run::Target;

/// A peer that does not accept connections by then is reported broken.
const READY_WITHIN: Duration = Duration::from_secs(15);

/// A third-party SCIM server started by one of `../shared/targets`' scripts,
/// killed (with its process group) when dropped, also when a test panics.
pub(super) struct PeerServer {
    name: &'static str,
    child: Child,
    base_url: String,
    token: String,
}

impl PeerServer {
    /// Starts `script` on a free loopback port and waits until it accepts
    /// connections.
    pub(super) fn start(name: &'static str, script: &str) -> Result<PeerServer, String> {
        let port = free_port().map_err(|e| format!("{name}: no free port: {e}"))?;
        let mut child = Command::new(script)
            .arg(port.to_string())
            .env_remove("SCIM_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so Drop can end the script and anything
            // it started at once.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("{name}: cannot run {script}: {e}"))?;
        let stderr = drain(child.stderr.take());
        let lines = lines_of(child.stdout.take());
        let mut server = PeerServer {
            name,
            child,
            base_url: String::new(),
            token: String::new(),
        };
        let deadline = Instant::now() + READY_WITHIN;
        let ready = server
            .read_announcement(&lines, deadline)
            .and_then(|()| server.wait_until_accepting(deadline));
        match ready {
            Ok(()) => Ok(server),
            Err(e) => {
                // Killed first, so its stderr is closed and read to the end.
                drop(server);
                let tail = stderr.join().unwrap_or_default().join("\n");
                Err(format!("{name} ({script}): {e}\n--- its stderr\n{tail}"))
            }
        }
    }

    pub(super) fn target(&self) -> Target {
        Target {
            name: self.name,
            base_url: self.base_url.clone(),
            token: self.token.clone(),
        }
    }

    /// `BASE_URL=` and `TOKEN=` from its stdout (scim2-server prints them
    /// first; SCIMMY after a banner line).
    fn read_announcement(
        &mut self,
        lines: &mpsc::Receiver<String>,
        deadline: Instant,
    ) -> Result<(), String> {
        while self.base_url.is_empty() || self.token.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines.recv_timeout(left).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => {
                    format!("printed no BASE_URL= and TOKEN= within {READY_WITHIN:?}")
                }
                mpsc::RecvTimeoutError::Disconnected => {
                    "exited before printing BASE_URL= and TOKEN=".to_string()
                }
            })?;
            if let Some(url) = line.strip_prefix("BASE_URL=") {
                self.base_url = url.trim().to_string();
            } else if let Some(token) = line.strip_prefix("TOKEN=") {
                self.token = token.trim().to_string();
            }
        }
        Ok(())
    }

    /// Connect attempts with a short backoff until the deadline. The scripts
    /// print BASE_URL before the server listens (scim2-server's is printed by
    /// the shell before it `exec`s Python), and a third-party process cannot
    /// be handed a pre-bound socket, so a bounded probe is the only way to
    /// know it is ready.
    fn wait_until_accepting(&mut self, deadline: Instant) -> Result<(), String> {
        let address = socket_address(&self.base_url)?;
        let mut pause = Duration::from_millis(20);
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(250)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("exited ({status}) before accepting connections"));
            }
            if Instant::now() + pause >= deadline {
                return Err(format!(
                    "accepted no connection on {address} within {READY_WITHIN:?}"
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }
}

impl Drop for PeerServer {
    fn drop(&mut self) {
        // The script `exec`s the server, so the child's pid is the server's
        // and, with `process_group(0)`, also its group's id. The child is not
        // reaped yet, so the pid cannot have been reused.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now. The peer binds it a moment later;
/// another process could take it in between, which then shows as a peer that
/// does not start.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// `http://127.0.0.1:8091/v2` → `127.0.0.1:8091`.
fn socket_address(base_url: &str) -> Result<SocketAddr, String> {
    let authority = base_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| format!("BASE_URL {base_url:?} is not http://host:port/…"))?;
    authority
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.next())
        .ok_or_else(|| format!("BASE_URL {base_url:?} names no reachable address"))
}

/// Each line of `stdout`, as it comes; the pipe keeps being drained after
/// the receiver is gone, so the server never blocks on a full pipe.
fn lines_of(stdout: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = stdout {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
    }
    rx
}

/// Drains `stderr` to its end (so the server never blocks on a full pipe);
/// the thread answers its last lines, for start-up errors.
fn drain(stderr: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut tail = Vec::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tail.len() == 20 {
                    tail.remove(0);
                }
                tail.push(line);
            }
        }
        tail
    })
}
