//! The connection loop: hyper's HTTP/1.1 server on tokio, with the relay's limits.
//!
//! - At most `max_connections` connections are served at once. The loop takes a permit before it
//!   accepts, so further connections wait in the kernel's accept queue and cost no thread or
//!   memory here.
//! - A request head must arrive within `header_timeout` of the relay starting to wait for it (on
//!   a new connection and between keep-alive requests), and may be at most [`MAX_HEAD_BYTES`]
//!   (hyper answers 431 past it).
//! - A connection on which nothing moves for `idle_timeout` while no request is being handled is
//!   closed (an idle client, or one that stops reading its response).
//! - Handling one request (reading its body, calling upstream) may take `request_timeout`.
//! - An accept error (out of file descriptors, a connection reset before it was accepted) is
//!   logged and the loop goes on after a short pause.

use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

/// Largest request head (request line and headers) the relay reads: 64 KiB.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The connection limits (from [`crate::Config`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
}

/// Answers one request; `on_timeout` answers one that took longer than `request_timeout`.
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle(self: Arc<Self>, request: Request<Incoming>) -> impl Future<Output = Response<Full<Bytes>>> + Send;
    fn on_timeout(&self) -> Response<Full<Bytes>>;
    /// Reports a problem of the server itself (never request data).
    fn log(&self, line: &str);
}

/// Serves `listener` until `stop` turns true.
pub(crate) async fn serve<H: Handler>(listener: TcpListener, handler: Arc<H>, limits: Limits, mut stop: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut last_error_logged: Option<Instant> = None;
    loop {
        let permit = match first(permits.clone().acquire_owned(), stop.wait_for(|s| *s)).await {
            Either::Left(Ok(permit)) => permit,
            Either::Left(Err(_)) | Either::Right(_) => return,
        };
        let stream = match first(listener.accept(), stop.wait_for(|s| *s)).await {
            Either::Right(_) => return,
            Either::Left(accepted) => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // At most one line a second while it lasts (EMFILE repeats every pause).
                    if last_error_logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                        handler.log(&format!("relay: accepting a connection failed ({e}); retrying"));
                        last_error_logged = Some(Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let handler = handler.clone();
        tokio::spawn(async move {
            connection(stream, handler, limits).await;
            drop(permit);
        });
    }
}

/// When bytes last moved on a connection, and how many of its requests are being handled.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        self.start.elapsed().saturating_sub(Duration::from_millis(self.last_ms.load(Ordering::Relaxed)))
    }
}

/// Decrements the busy count when a request's handling ends (or is dropped).
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

async fn connection<H: Handler>(stream: TcpStream, handler: Arc<H>, limits: Limits) {
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity { start: Instant::now(), last_ms: AtomicU64::new(0), busy: AtomicUsize::new(0) });
    let io = TokioIo::new(Tracked { inner: stream, activity: activity.clone() });
    let service = {
        let activity = activity.clone();
        service_fn(move |request: Request<Incoming>| {
            activity.busy.fetch_add(1, Ordering::Relaxed);
            let busy = Busy(activity.clone());
            let handler = handler.clone();
            async move {
                let response = match tokio::time::timeout(limits.request_timeout, handler.clone().handle(request)).await {
                    Ok(response) => response,
                    Err(_) => handler.on_timeout(),
                };
                drop(busy);
                Ok::<_, Infallible>(response)
            }
        })
    };
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).max_buf_size(MAX_HEAD_BYTES);
    let conn = builder.serve_connection(io, service);
    let tick = (limits.idle_timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let watchdog = async {
        loop {
            tokio::time::sleep(tick).await;
            if activity.busy.load(Ordering::Relaxed) == 0 && activity.idle_for() >= limits.idle_timeout {
                return;
            }
        }
    };
    // Either hyper is done with the connection, or it sat still too long: dropping `conn` then
    // closes the socket.
    let _ = first(conn, watchdog).await;
}

/// Which of two futures finished first.
pub(crate) enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Runs `a` and `b` until one finishes (`a` polled first), dropping the other.
pub(crate) async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(out));
        }
        Poll::Pending
    })
    .await
}

/// A TCP stream that records when bytes last moved.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
