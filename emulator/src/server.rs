//! The network shell around the [`Gateway`]: accepts connections (at most
//! [`Limits::max_connections`] at once), reads HTTP/1.1 requests within the [`Limits`], hands
//! each to the gateway and writes its answer back; stops gracefully when told to.
//!
//! What a client costs before it is authenticated is bounded: bodies are read against one
//! budget for all connections ([`Limits::max_inflight_body_bytes`]; a request waits for room,
//! briefly, or gets 503 `ServiceUnavailable`), and a large body is handled on a blocking
//! thread, so that decoding it never holds up the async workers serving every other request.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Sleep;

use crate::config::Limits;
use crate::gateway::{Gateway, RequestLog};
use smartag_rules::Error;

/// How long open connections get to finish their request after a shutdown is asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Requests with a body at least this large are handled on a blocking thread.
const BLOCKING_BODY_BYTES: usize = 64 * 1024;

/// The smallest step a body of unknown length (chunked) grows its buffer by.
const MIN_BODY_STEP: usize = 8 * 1024;

/// How long after the last large request a thread is started to end at once (see
/// [`return_memory_when_quiet`]): past the binary's blocking threads' keep-alive (1 s) and its
/// allocator's delay before freed memory goes back to the system (1 s).
const RETURN_MEMORY_AFTER: Duration = Duration::from_millis(2500);

/// Serves `gateway` on `listener` until `shutdown` resolves, then lets the open connections
/// finish their current request (at most a few seconds) and returns.
pub async fn serve(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let budget = BodyBudget::new(&limits);
    // Ended (aborted) when serving ends, however it ends.
    let mut background = JoinSet::new();
    background.spawn(return_memory_when_quiet(Arc::clone(&budget.large_done)));
    let graceful = GracefulShutdown::new();
    let builder = http1_builder(&limits);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, say: wait a little instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tracing::warn!(%peer, "connection refused: too many connections");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(IdleTimeout::new(stream, limits.idle_timeout));
        let gateway = Arc::clone(&gateway);
        let budget = budget.clone();
        let service = service_fn(move |request| {
            let gateway = Arc::clone(&gateway);
            let budget = budget.clone();
            async move { Ok::<_, hyper::Error>(answer(&gateway, request, limits, &budget).await) }
        });
        let connection = graceful.watch(builder.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not finish in time");
    }
}

/// Once a large request has been handled and no other has been for [`RETURN_MEMORY_AFTER`],
/// starts one thread that ends at once; and again after the next large request. The binary's
/// allocator (mimalloc) gives freed memory back to the system only once it has been free for a
/// second, and only when some thread next frees a page or ends: after a flood of large bodies
/// an idle server would otherwise hold the flood's memory until its next large request. A
/// thread's end returns everything due (BENCHMARKS.md, "Memory under a flood").
async fn return_memory_when_quiet(large_done: Arc<Notify>) {
    loop {
        // A notification given while no one waits is kept for the next wait: none is lost.
        large_done.notified().await;
        while tokio::time::timeout(RETURN_MEMORY_AFTER, large_done.notified())
            .await
            .is_ok()
        {}
        // The thread allocates once, so that the allocator knows it and collects at its end.
        // Not started (no thread to spare): nothing is lost but the early return.
        let _ = std::thread::Builder::new()
            .name("return-memory".to_owned())
            .spawn(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(64))));
    }
}

/// hyper's HTTP/1.1 connection settings for `limits`: the server's, and the floor benchmark's
/// (`examples/floor.rs`), so that both measure the same HTTP stack.
///
/// hyper's parser takes one header more than [`Limits::max_headers`], so that a request just
/// over the limit reaches the server's own check and gets its 431 (with its body), whatever the
/// limit (hyper's own cap, 100 by default, would otherwise refuse first, or not at all below
/// it). A head with more headers still is refused by hyper itself: 431, without a body.
///
/// Half-closed connections are served: a client may send its request and shut its sending side
/// (`shutdown(SHUT_WR)`) before it reads the answer, which still comes.
pub fn http1_builder(limits: &Limits) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_head_bytes.max(8192))
        .max_headers(limits.max_headers.saturating_add(1))
        .half_close(true)
        .keep_alive(true);
    builder
}

/// Reads one request's body within the limits and the budget, asks the gateway (on a
/// blocking thread for a large body), logs the exchange.
async fn answer(
    gateway: &Arc<Gateway>,
    request: Request<Incoming>,
    limits: Limits,
    budget: &BodyBudget,
) -> Response<Full<Bytes>> {
    // What the log line needs, kept only when it is written (`info`).
    let logged = tracing::enabled!(tracing::Level::INFO).then(|| {
        (
            Instant::now(),
            request.method().clone(),
            request.uri().clone(),
        )
    });
    let mut response = match read(gateway, request, &limits, budget).await {
        Ok((request, held)) => {
            let handled = if request.body().len() >= BLOCKING_BODY_BYTES {
                let gateway = Arc::clone(gateway);
                // The semaphore is never closed: a turn always comes.
                let _turn = budget.large.acquire().await;
                let handled =
                    tokio::task::spawn_blocking(move || gateway.handle_now(request)).await;
                budget.large_done();
                handled
            } else {
                Ok(gateway.handle_now(request))
            };
            // The body is gone with the request: its bytes are free for others.
            drop(held);
            match handled {
                Ok(handled) => gateway.settle(handled).await,
                Err(e) => {
                    tracing::error!(error = %e, "a request's handling failed");
                    refusal(StatusCode::INTERNAL_SERVER_ERROR)
                }
            }
        }
        Err(refusal) => refusal,
    };
    let log = response
        .extensions_mut()
        .remove::<RequestLog>()
        .unwrap_or_default();
    if let Some((started, method, uri)) = logged {
        let path = uri.path();
        // Never a parameter value or a header: passwords and signatures travel there.
        tracing::info!(
            %method,
            %path,
            action = log.action.as_deref().unwrap_or("-"),
            key = log.key_id.as_deref().unwrap_or("-"),
            status = response.status().as_u16(),
            micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "request"
        );
    }
    response.map(Full::new)
}

/// The room for request bodies, shared by every connection: one permit per byte of buffer; and
/// the turns for handling large ones.
#[derive(Clone)]
struct BodyBudget {
    bytes: Arc<Semaphore>,
    total: usize,
    wait: Duration,
    /// Large requests handled at once (on blocking threads): one fewer than the cores, at least
    /// one, so that a flood of large bodies leaves the async workers a core for everyone else
    /// and few threads' worth of memory behind.
    large: Arc<Semaphore>,
    /// Told each time a large request has been handled ([`return_memory_when_quiet`] waits
    /// on it).
    large_done: Arc<Notify>,
}

impl BodyBudget {
    fn new(limits: &Limits) -> BodyBudget {
        let total = limits.max_inflight_body_bytes.min(Semaphore::MAX_PERMITS);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        BodyBudget {
            bytes: Arc::new(Semaphore::new(total)),
            total,
            wait: limits.body_budget_wait,
            large: Arc::new(Semaphore::new(cores.saturating_sub(1).max(1))),
            large_done: Arc::new(Notify::new()),
        }
    }

    /// A large request was handled (see [`return_memory_when_quiet`]).
    fn large_done(&self) {
        self.large_done.notify_one();
    }

    /// Adds `more` bytes to `held`, waiting up to the budget's wait for them; false when they
    /// did not come in time, or never could (more than the whole budget).
    async fn reserve(&self, held: &mut Option<OwnedSemaphorePermit>, more: usize) -> bool {
        if more == 0 {
            return true;
        }
        let Ok(count) = u32::try_from(more) else {
            return false;
        };
        if more > self.total {
            return false;
        }
        let acquire = Arc::clone(&self.bytes).acquire_many_owned(count);
        match tokio::time::timeout(self.wait, acquire).await {
            Ok(Ok(permit)) => {
                match held {
                    Some(held) => held.merge(permit),
                    None => *held = Some(permit),
                }
                true
            }
            // Timed out (or closed, which this semaphore never is).
            _ => false,
        }
    }
}

/// The whole request with the budget its body's buffer holds, or the refusal of one over the
/// limits (or that found no room in the budget in time).
async fn read(
    gateway: &Gateway,
    request: Request<Incoming>,
    limits: &Limits,
    budget: &BodyBudget,
) -> Result<(Request<Bytes>, Option<OwnedSemaphorePermit>), Response<Bytes>> {
    let url_len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if url_len > limits.max_url_bytes {
        return Err(refusal(StatusCode::URI_TOO_LONG));
    }
    let head_len: usize = url_len
        + request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    if request.headers().len() > limits.max_headers || head_len > limits.max_head_bytes {
        return Err(refusal(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let declared = match declared.map(usize::try_from) {
        None => None,
        Some(Ok(len)) if len <= limits.max_body_bytes => Some(len),
        Some(_) => return Err(refusal(StatusCode::PAYLOAD_TOO_LARGE)),
    };
    let (parts, mut body) = request.into_parts();
    let busy = |parts: &http::request::Parts| {
        let mut response = gateway.refuse_unread(&parts.uri, Error::ServiceUnavailable);
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    };
    // A declared length is reserved whole before a byte of the body is read; a body of
    // unknown length reserves each step its buffer grows by.
    let mut held = None;
    let mut reserved = declared.unwrap_or(0);
    if !budget.reserve(&mut held, reserved).await {
        return Err(busy(&parts));
    }
    let mut buffer: Vec<u8> = Vec::with_capacity(reserved);
    let collect = async {
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return Err(refusal(StatusCode::BAD_REQUEST));
            };
            // Trailers are not part of the body.
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let needed = buffer.len() + data.len();
            if needed > limits.max_body_bytes {
                return Err(refusal(StatusCode::PAYLOAD_TOO_LARGE));
            }
            if needed > reserved {
                let grown = needed
                    .max(reserved.saturating_mul(2))
                    .max(MIN_BODY_STEP)
                    .min(limits.max_body_bytes);
                if !budget.reserve(&mut held, grown - reserved).await {
                    return Err(busy(&parts));
                }
                reserved = grown;
                buffer.reserve_exact(reserved - buffer.len());
            }
            buffer.extend_from_slice(&data);
        }
        Ok(())
    };
    match tokio::time::timeout(limits.body_read_timeout, collect).await {
        Err(_) => Err(refusal(StatusCode::REQUEST_TIMEOUT)),
        Ok(Err(refused)) => Err(refused),
        Ok(Ok(())) => Ok((Request::from_parts(parts, Bytes::from(buffer)), held)),
    }
}

fn refusal(status: StatusCode) -> Response<Bytes> {
    let text = status.canonical_reason().unwrap_or("refused");
    let mut response = Response::new(Bytes::from(format!("{text}\n")));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain;charset=utf-8"),
    );
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A connection that fails with [`io::ErrorKind::TimedOut`] once no byte has been read or
/// written for the idle timeout, so that idle and stalled clients let go of their slot.
struct IdleTimeout<S> {
    inner: S,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<S> IdleTimeout<S> {
    fn new(inner: S, timeout: Duration) -> IdleTimeout<S> {
        IdleTimeout {
            inner,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }

    fn touch(&mut self) {
        let next = tokio::time::Instant::now() + self.timeout;
        self.deadline.as_mut().reset(next);
    }

    /// What a poll of the inner stream answered, seen by the timeout: progress restarts it; a
    /// pending poll fails once it has run out.
    fn seen<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(result) => {
                self.touch();
                Poll::Ready(result)
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle for too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        this.seen(cx, poll)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.seen(cx, poll)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.seen(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
