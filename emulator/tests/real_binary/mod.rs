//! The real `smartag-emulator` binary in a child process, and a small blocking HTTP/1.1 client
//! that signs its requests the RPC way, for the tests that crash or abuse it.

#![allow(dead_code)] // each test file uses its own part

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smartag_emulator::auth::{encode_query, sign_rpc};
use smartag_emulator::clock::format_timestamp;
use smartag_emulator::AccessKey;

pub const KEY_ID: &str = "crashid";
pub const KEY_SECRET: &str = "crash-secret";

/// A directory under the system's temporary one, new and removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("smartag-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The emulator binary, running.
pub struct Binary {
    child: Child,
    pub addr: SocketAddr,
    stderr: PathBuf,
}

impl Binary {
    /// Starts the binary with `args` (plus `--listen 127.0.0.1:0` and the test key) and waits for
    /// its `listening on` line. Its standard error goes to `stderr` (a file).
    pub fn start(args: &[&str], stderr: &Path) -> Binary {
        Binary::try_start(args, stderr).unwrap_or_else(|status| {
            panic!(
                "the emulator exited with {status}: {}",
                fs::read_to_string(stderr).unwrap_or_default()
            )
        })
    }

    /// As [`Binary::start`], or the exit status if it stops before listening.
    pub fn try_start(args: &[&str], stderr: &Path) -> Result<Binary, ExitStatus> {
        let key = format!("{KEY_ID}:{KEY_SECRET}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_smartag-emulator"))
            .args(["--listen", "127.0.0.1:0", "--access-key", &key])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(stderr).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        let mut stdout = BufReader::new(stdout);
        stdout.read_line(&mut line).unwrap();
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            return Err(child.wait().unwrap());
        };
        let addr = addr.parse().unwrap();
        // Keep reading standard output (nothing more is expected) so that it never blocks.
        std::thread::spawn(move || io::copy(&mut stdout, &mut io::sink()));
        Ok(Binary {
            child,
            addr,
            stderr: stderr.to_owned(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `kill -9`, and reaps it.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// `kill -TERM` (a clean stop), and waits for it to exit.
    pub fn terminate(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }

    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    pub fn client(&self) -> Client {
        Client::connect(self.addr).unwrap()
    }

    /// The resident memory of the process, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive connection that sends RPC-signed `GET` requests.
pub struct Client {
    stream: BufReader<TcpStream>,
    key: AccessKey,
}

static NONCE: AtomicU64 = AtomicU64::new(0);

impl Client {
    pub fn connect(addr: SocketAddr) -> io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Client {
            stream: BufReader::new(stream),
            key: AccessKey::new(KEY_ID, KEY_SECRET).unwrap(),
        })
    }

    /// Sends `params` (with `Version`) signed, and reads the answer: status and body.
    pub fn call(&mut self, params: &[(&str, &str)]) -> io::Result<(u16, String)> {
        let mut all = vec![("Version", "2018-03-13"), ("Format", "JSON")];
        all.extend_from_slice(params);
        self.call_with(&all, "")
    }

    /// Sends `params` (nothing added) signed in a `GET` query, `headers` (whole lines, each
    /// ending in `\r\n`, unsigned) after `Host`, and reads the answer.
    pub fn call_with(
        &mut self,
        params: &[(&str, &str)],
        headers: &str,
    ) -> io::Result<(u16, String)> {
        let request = format!(
            "GET /?{} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n",
            self.signed_query("GET", params)
        );
        self.send_raw(request.as_bytes())?;
        self.read_response()
    }

    /// `params` signed the RPC way now, with a fresh nonce, as a query string.
    pub fn signed_query(&self, method: &str, params: &[(&str, &str)]) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let nonce = format!(
            "{:08x}{:016x}",
            std::process::id(),
            NONCE.fetch_add(1, Ordering::Relaxed)
        );
        let signed = sign_rpc(
            &self.key,
            method,
            params,
            &format_timestamp(i64::try_from(now).unwrap()),
            &nonce,
        );
        encode_query(&signed)
    }

    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.get_mut().write_all(bytes)
    }

    /// Reads one response: its status and body (by `Content-Length`).
    pub fn read_response(&mut self) -> io::Result<(u16, String)> {
        let mut line = String::new();
        if self.stream.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = 0;
        loop {
            line.clear();
            if self.stream.read_line(&mut line)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(io::Error::other)?;
                }
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body)?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// Every user of `instance` in `cn-shanghai`, as `(name, bandwidth)`, page by page.
pub fn all_users(client: &mut Client, instance: &str) -> Vec<(String, u64)> {
    let mut users = Vec::new();
    for page in 1.. {
        let page = page.to_string();
        let (status, body) = client
            .call(&[
                ("Action", "DescribeSmartAccessGatewayClientUsers"),
                ("RegionId", "cn-shanghai"),
                ("SmartAGId", instance),
                ("PageSize", "100"),
                ("PageNumber", &page),
            ])
            .unwrap();
        assert_eq!(status, 200, "{body}");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        let batch = body["Users"]["User"].as_array().unwrap();
        users.extend(batch.iter().map(|u| {
            (
                u["UserName"].as_str().unwrap().to_owned(),
                u["Bandwidth"].as_u64().unwrap(),
            )
        }));
        if batch.len() < 100 {
            assert_eq!(body["TotalCount"].as_u64().unwrap() as usize, users.len());
            break;
        }
    }
    users
}

/// The one log file of a state directory.
pub fn log_file(dir: &Path) -> PathBuf {
    let logs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("log.") && !n.ends_with(".tmp"))
        })
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    logs.into_iter().next().unwrap()
}
