//! A loopback HTTP proxy in front of moto that injects faults into FilterLogEvents: a share
//! of throttling answers (with a chosen message), HTTP 500 for every one, or a body no decoder
//! reads for every page holding a chosen text. It counts and times every FilterLogEvents
//! attempt that reaches it, SDK retries included.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub enum Fault {
    /// This share of FilterLogEvents calls gets a ThrottlingException with `message`.
    Throttle { share: f64, message: String },
    /// Every FilterLogEvents call gets an HTTP 500 without an AWS error.
    ServerError,
    /// A FilterLogEvents page whose body holds this text is cut in half (HTTP 200, not JSON).
    Poison(String),
    /// Every FilterLogEvents call gets HTTP 200 with an HTML page (a captive portal).
    Html,
}

pub struct FaultProxy {
    pub endpoint: String,
    /// When each FilterLogEvents attempt arrived, and whether it was faulted.
    pub attempts: Arc<Mutex<Vec<(Instant, bool)>>>,
}

impl FaultProxy {
    pub async fn start(upstream: &str, fault: Fault) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let attempts: Arc<Mutex<Vec<(Instant, bool)>>> = Arc::default();
        let log = Arc::clone(&attempts);
        tokio::spawn(async move {
            let rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(30)));
            while let Ok((client, _)) = listener.accept().await {
                let (upstream, fault, log, rng) = (
                    upstream.clone(),
                    fault.clone(),
                    Arc::clone(&log),
                    Arc::clone(&rng),
                );
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, &fault, &log, &rng).await;
                });
            }
        });
        FaultProxy { endpoint, attempts }
    }

    /// FilterLogEvents attempts so far, and how many were faulted.
    pub fn counts(&self) -> (usize, usize) {
        let attempts = self.attempts.lock().unwrap();
        (attempts.len(), attempts.iter().filter(|(_, f)| *f).count())
    }

    /// The most attempts in any window of `seconds` (the budget's test).
    pub fn busiest(&self, seconds: f64) -> usize {
        let attempts = self.attempts.lock().unwrap();
        let times: Vec<Instant> = attempts.iter().map(|(t, _)| *t).collect();
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| t.duration_since(times[i]).as_secs_f64() < seconds)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

/// One request per connection (every answer says `Connection: close`).
async fn serve(
    mut client: TcpStream,
    upstream: &str,
    fault: &Fault,
    log: &Mutex<Vec<(Instant, bool)>>,
    rng: &Mutex<fastrand::Rng>,
) -> std::io::Result<()> {
    let (head, body) = read_message(&mut client).await?;
    let is_filter = head
        .to_ascii_lowercase()
        .contains("x-amz-target: logs_20140328.filterlogevents");
    if is_filter {
        let faulted = match fault {
            Fault::Throttle { share, .. } => rng.lock().unwrap().f64() < *share,
            Fault::ServerError | Fault::Html => true,
            Fault::Poison(_) => false,
        };
        log.lock().unwrap().push((Instant::now(), faulted));
        if faulted {
            let (status, body) = match fault {
                Fault::Throttle { message, .. } => (
                    "400 Bad Request",
                    serde_json::json!({
                        "__type": "ThrottlingException",
                        "message": message,
                    })
                    .to_string(),
                ),
                Fault::ServerError | Fault::Poison(_) => {
                    ("500 Internal Server Error", "oops".to_string())
                }
                Fault::Html => (
                    "200 OK",
                    "<html><body>Sign in to continue</body></html>".to_string(),
                ),
            };
            let answer = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            client.write_all(answer.as_bytes()).await?;
            return client.shutdown().await;
        }
    }
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&with_close(&head)).await?;
    server.write_all(&body).await?;
    let (mut head, mut body) = read_message(&mut server).await?;
    if let Fault::Poison(text) = fault
        && is_filter
        && body.windows(text.len()).any(|w| w == text.as_bytes())
    {
        body.truncate(body.len() / 2);
        head = with_length(&head, body.len());
        if let Some(last) = log.lock().unwrap().last_mut() {
            last.1 = true;
        }
    }
    client.write_all(&with_close(&head)).await?;
    client.write_all(&body).await?;
    client.shutdown().await
}

/// The head (through the blank line) and the body (by Content-Length) of one message.
async fn read_message(stream: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let split = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..split]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buffer[split..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok((head, body))
}

/// The head with its Content-Length header set to `length`.
fn with_length(head: &str, length: usize) -> String {
    head.trim_end_matches("\r\n")
        .split("\r\n")
        .map(|l| {
            if l.to_ascii_lowercase().starts_with("content-length:") {
                format!("Content-Length: {length}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n\r\n"
}

/// The head with its Connection header replaced by `Connection: close`.
fn with_close(head: &str) -> Vec<u8> {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    format!("{}\r\n\r\n", lines.join("\r\n")).into_bytes()
}
