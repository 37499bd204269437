//! The floor of the emulator's benchmarks: a server on the same HTTP stack (tokio, hyper's
//! HTTP/1.1 connections with the emulator's settings) that reads each request whole and answers
//! a canned 200 of the size of a create's answer, doing nothing else: what the network and the
//! HTTP layer cost alone on this machine.
//!
//! ```text
//! cargo run --release --example floor -- 127.0.0.1:0
//! ```
//!
//! Prints `listening on http://HOST:PORT` first, as the emulator does.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use smartag_emulator::Limits;
use tokio::net::TcpListener;

const BODY: &str = r#"{"UserName":"r0000000c0n0","RequestId":"3200E8A3-563F-4FFC-8BDB-0F1263FA69E8","UserMail":"load@example.com","Bandwidth":2000,"ClientIp":""}"#;

async fn answer(
    request: Request<Incoming>,
    limits: Limits,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the body as the emulator does (within its limit), then answer the same thing always.
    let _ = Limited::new(request.into_body(), limits.max_body_bytes)
        .collect()
        .await;
    let mut response = Response::new(Full::new(Bytes::from_static(BODY.as_bytes())));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    Ok(response)
}

fn main() -> std::io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("127.0.0.1:8081")
        .parse()
        .map_err(std::io::Error::other)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(addr).await?;
        println!("listening on http://{}", listener.local_addr()?);
        let limits = Limits::default();
        let builder = smartag_emulator::http1_builder(&limits);
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let connection = builder.serve_connection(
                TokioIo::new(stream),
                service_fn(move |request| answer(request, limits)),
            );
            tokio::spawn(connection);
        }
    })
}
