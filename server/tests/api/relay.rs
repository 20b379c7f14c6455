//! A minimal SMTP relay on a free local port that keeps what it is sent: where the tests' mail goes.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the relay received it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    /// The message's body as its reader sees it: quoted-printable decoded, soft line breaks joined.
    pub fn body(&self) -> String {
        let (headers, body) = self.data.split_once("\n\n").unwrap_or((&self.data, ""));
        if !headers.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable") {
            return body.to_string();
        }
        let joined = body.replace("=\n", "");
        let mut bytes = Vec::with_capacity(joined.len());
        let mut rest = joined.as_bytes();
        while let Some((&first, tail)) = rest.split_first() {
            let escaped = tail.get(..2).and_then(|hex| std::str::from_utf8(hex).ok());
            match escaped.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                Some(byte) if first == b'=' => {
                    bytes.push(byte);
                    rest = &tail[2..];
                }
                _ => {
                    bytes.push(first);
                    rest = tail;
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// A minimal SMTP relay on a free local port that keeps what it is sent.
pub async fn fake_relay() -> (u16, Arc<Mutex<Vec<Received>>>) {
    failing_relay(0).await
}

/// The same relay, refusing the first `refusals` messages for now (451), as a relay under load does.
pub async fn failing_relay(refusals: usize) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let refusals = Arc::new(Mutex::new(refusals));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
    let port = listener.local_addr().expect("address").port();
    let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
    let shared = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = shared.clone();
            let refusals = refusals.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut current = Received::default();
                let _ = write.write_all(b"220 relay ready\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-relay\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        current.recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                break;
                            }
                            // The sender doubled a line's leading dot (RFC 5321, 4.5.2): undone here.
                            current.data.push_str(data.strip_prefix('.').unwrap_or(&data));
                            current.data.push('\n');
                        }
                        let refuse = refusals.lock().map(|mut left| {
                            let refuse = *left > 0;
                            *left = left.saturating_sub(1);
                            refuse
                        });
                        if refuse.unwrap_or(false) {
                            current = Received::default();
                            b"451 try again later\r\n"
                        } else {
                            if let Ok(mut inbox) = inbox.lock() {
                                inbox.push(std::mem::take(&mut current));
                            }
                            b"250 queued\r\n"
                        }
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, inbox)
}

/// Waits up to five seconds for `count` messages in `inbox`, then half a second more for any
/// duplicate, and answers what arrived.
pub async fn delivered(inbox: &Arc<Mutex<Vec<Received>>>, count: usize) -> Vec<Received> {
    for _ in 0..50 {
        if inbox.lock().map(|i| i.len()).unwrap_or(0) >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    inbox.lock().map(|i| i.clone()).unwrap_or_default()
}
