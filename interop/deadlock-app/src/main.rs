//! A tokio app watched through console-subscriber. Its named tasks use Mutex,
//! RwLock, Semaphore, Barrier, oneshot and sleep, and two of them deadlock by
//! taking two mutexes in opposite order. It runs until killed.
//!
//! TOKIO_CONSOLE_BIND picks the address (default 127.0.0.1:6669).
//!
//! The deadlock starts on SIGUSR1, or after DEADLOCK_DELAY_MS (default 2000).
//! console-subscriber records poll ops only while a console watches, so a test
//! attaches first and then triggers the deadlock to see which task waits where.

use std::sync::Arc;
use std::time::Duration;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::{oneshot, watch, Barrier, Mutex, RwLock, Semaphore};
use tokio::time::sleep;

#[track_caller]
fn spawn_named<F>(name: &str, fut: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::task::Builder::new().name(name).spawn(fut).expect("spawn");
}

/// Fires once, on SIGUSR1 or when the delay runs out, whichever comes first.
fn deadlock_trigger() -> watch::Receiver<bool> {
    let (fire, started) = watch::channel(false);
    let delay_ms: u64 = std::env::var("DEADLOCK_DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let mut usr1 = signal(SignalKind::user_defined1()).expect("install SIGUSR1 handler");
    spawn_named("deadlock-trigger", async move {
        tokio::select! {
            _ = usr1.recv() => {}
            _ = sleep(Duration::from_millis(delay_ms)) => {}
        }
        fire.send_replace(true);
        // Keep the sender alive so late waiters still see the value.
        std::future::pending::<()>().await;
    });
    started
}

#[tokio::main]
async fn main() {
    console_subscriber::init();

    let trigger = deadlock_trigger();
    let ledger = Arc::new(Mutex::new(0u64));
    let audit = Arc::new(Mutex::new(0u64));

    // Opposite lock order; the barrier makes sure each holds its first lock
    // before asking for the second, so the deadlock is certain.
    let both_hold_one = Arc::new(Barrier::new(2));
    {
        let (ledger, audit, gate) = (ledger.clone(), audit.clone(), both_hold_one.clone());
        let mut trigger = trigger.clone();
        spawn_named("transfer-ledger-then-audit", async move {
            let _ = trigger.wait_for(|go| *go).await;
            let _l = ledger.lock().await;
            gate.wait().await;
            let _a = audit.lock().await;
            unreachable!("deadlocked on purpose");
        });
    }
    {
        let (ledger, audit, gate) = (ledger.clone(), audit.clone(), both_hold_one.clone());
        let mut trigger = trigger.clone();
        spawn_named("audit-audit-then-ledger", async move {
            let _ = trigger.wait_for(|go| *go).await;
            let _a = audit.lock().await;
            gate.wait().await;
            let _l = ledger.lock().await;
            unreachable!("deadlocked on purpose");
        });
    }

    let config = Arc::new(RwLock::new(String::from("v1")));
    {
        let config = config.clone();
        spawn_named("config-reader", async move {
            loop {
                let _guard = config.read().await;
                sleep(Duration::from_millis(200)).await;
            }
        });
    }
    {
        let config = config.clone();
        spawn_named("config-writer", async move {
            loop {
                config.write().await.push('!');
                sleep(Duration::from_millis(500)).await;
            }
        });
    }

    let permits = Arc::new(Semaphore::new(2));
    for i in 0..3 {
        let permits = permits.clone();
        spawn_named(&format!("semaphore-worker-{i}"), async move {
            loop {
                let _permit = permits.acquire().await.expect("semaphore open");
                sleep(Duration::from_millis(150)).await;
            }
        });
    }

    // A oneshot whose sender is held forever keeps its receiver waiting.
    let (reply_tx, reply_rx) = oneshot::channel::<u64>();
    spawn_named("oneshot-waiter", async move {
        let _ = reply_rx.await;
    });
    spawn_named("oneshot-holder", async move {
        let _keep = reply_tx;
        std::future::pending::<()>().await;
    });

    spawn_named("ticker", async move {
        loop {
            sleep(Duration::from_millis(100)).await;
        }
    });

    std::future::pending::<()>().await;
}
