//! A receiver task woken three ways: by itself, by another task, and by a
//! plain OS thread outside the runtime. It prints tokio's instrumentation
//! through the subscriber named by its first argument:
//!
//!   wake-demo ari            ari-subscriber text on stdout (span ids in brackets)
//!   wake-demo fmt            tracing-subscriber fmt with span events on stdout
//!   wake-demo json           tracing-subscriber JSON with span events on stdout
//!   wake-demo console FILE   console-subscriber's JSON-lines recording into FILE
//!
//! The subscriber is installed before the runtime is built so every task span,
//! including the block_on one, is seen.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// Returns Pending once after waking its own task by reference.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[track_caller]
fn spawn_named<F>(name: &str, fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::task::Builder::new().name(name).spawn(fut).expect("spawn")
}

fn tokio_filter() -> EnvFilter {
    EnvFilter::new("tokio=trace,runtime=trace,wake_demo=debug")
}

fn install(mode: &str, record: Option<&str>) {
    match mode {
        "ari" => tracing_subscriber::registry().with(ari_subscriber::layer().with_filter(tokio_filter())).init(),
        "fmt" => tracing_subscriber::fmt()
            .with_env_filter(tokio_filter())
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .init(),
        "json" => tracing_subscriber::fmt()
            .json()
            .with_env_filter(tokio_filter())
            .with_span_events(FmtSpan::FULL)
            .init(),
        "console" => {
            let path = record.expect("console mode needs a recording path");
            let layer = console_subscriber::ConsoleLayer::builder()
                .recording_path(path)
                .server_addr(([127, 0, 0, 1], 0))
                .spawn();
            tracing_subscriber::registry().with(layer).init();
        }
        other => {
            eprintln!("unknown mode {other}; expected ari, fmt, json or console FILE");
            std::process::exit(2);
        }
    }
}

async fn demo() {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);

    let receiver = spawn_named("receiver", async move {
        tracing::debug!("about to wake myself");
        YieldOnce(false).await;
        let mut count = 0;
        while let Some(n) = rx.recv().await {
            count += n;
            tracing::debug!(count, "got a message");
        }
        tracing::debug!("channel closed");
    });

    // Let the receiver park on the empty channel before anyone sends.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let from_task = tx.clone();
    spawn_named("sender-task", async move {
        tracing::debug!("sending from a task");
        from_task.send(1).await.expect("receiver alive");
    })
    .await
    .expect("sender-task");

    tokio::time::sleep(Duration::from_millis(20)).await;
    let from_thread = tx.clone();
    std::thread::spawn(move || {
        tracing::debug!("sending from a plain thread");
        from_thread.try_send(2).expect("room in the channel");
    })
    .join()
    .expect("thread");

    drop(tx);
    receiver.await.expect("receiver");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("ari");
    install(mode, args.get(2).map(String::as_str));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(demo());
    // console-subscriber writes its recording from its own thread; give it
    // a moment to flush before the process exits.
    if mode == "console" {
        std::thread::sleep(Duration::from_millis(300));
    }
}
