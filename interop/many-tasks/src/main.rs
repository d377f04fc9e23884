//! A tokio app with many live tasks for console benchmarks: TASKS (default
//! 10000) named workers, each waking on its own timer between 50 ms and 1 s
//! and doing a little work, so every console update carries thousands of
//! changed task stats. Runs until killed.
//!
//! TOKIO_CONSOLE_BIND picks the console address (default 127.0.0.1:6669).
//!
//! Mostly-idle mode, for consoles holding 100k tasks: 100k timers saturate a
//! small machine, and console-subscriber then lags and drops, so the consoles
//! never hear of every task. With ACTIVE set, only that many tasks
//! (`worker-0` .. `worker-{ACTIVE-1}`, same timers as above) are on timers; the
//! rest (`idle-{i}`) each wait on their own `tokio::sync::Notify`, which is
//! not a console resource, so they add no timers and no resource updates. A
//! driver task wakes the idle tasks round robin, IDLE_WAKES of them every
//! WAKE_MS milliseconds, so their stats still change now and then.
//!
//! - ACTIVE: number of tasks on timers (default: all of TASKS; larger values
//!   are clamped to TASKS).
//! - WAKE_MS: the driver's period in ms (default 100; 0 = idle tasks are never
//!   woken). Only read when ACTIVE is set.
//! - IDLE_WAKES: idle tasks woken per driver tick (default 10).
//! - SPAWN_BATCH: in this mode tasks are spawned this many at a time
//!   (default 1000) with a 10 ms pause between batches, so console-subscriber's
//!   event buffer is drained as it fills instead of overflowing (it drops
//!   events, spawns included, once full).
//!
//! With none of these set the app behaves exactly as before they existed.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn spawn_worker(i: u64) {
    let period = Duration::from_millis(50 + (i * 7919) % 950);
    tokio::task::Builder::new()
        .name(&format!("worker-{i}"))
        .spawn(async move {
            let mut sum = 0u64;
            loop {
                tokio::time::sleep(period).await;
                for k in 0..100u64 {
                    sum = sum.wrapping_add(k * i);
                }
                std::hint::black_box(sum);
            }
        })
        .expect("spawn");
}

fn spawn_idle(i: u64) -> Arc<Notify> {
    let notify = Arc::new(Notify::new());
    let wakes = notify.clone();
    tokio::task::Builder::new()
        .name(&format!("idle-{i}"))
        .spawn(async move {
            let mut sum = 0u64;
            loop {
                wakes.notified().await;
                for k in 0..100u64 {
                    sum = sum.wrapping_add(k * i);
                }
                std::hint::black_box(sum);
            }
        })
        .expect("spawn");
    notify
}

fn main() {
    console_subscriber::init();
    let tasks: u64 = env_u64("TASKS").unwrap_or(10_000);
    let active = env_u64("ACTIVE").map(|a| a.min(tasks));
    let wake_ms = env_u64("WAKE_MS").unwrap_or(100);
    let idle_wakes = env_u64("IDLE_WAKES").unwrap_or(10) as usize;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let spawn_batch = match active {
        Some(_) => env_u64("SPAWN_BATCH").unwrap_or(1000).max(1),
        None => u64::MAX,
    };
    runtime.block_on(async move {
        let idle_mode = active.is_some();
        let active = active.unwrap_or(tasks);
        let mut idle: Vec<Arc<Notify>> = Vec::new();
        for i in 0..tasks {
            if i < active {
                spawn_worker(i);
            } else {
                idle.push(spawn_idle(i));
            }
            if idle_mode && (i + 1) % spawn_batch == 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        if idle.is_empty() || wake_ms == 0 || idle_wakes == 0 {
            std::future::pending::<()>().await;
        }
        // The driver runs in main's own future (the consoles' `block_on`
        // task), not in a task of its own, so no task is added to TASKS.
        let mut tick = tokio::time::interval(Duration::from_millis(wake_ms));
        let mut next = 0usize;
        loop {
            tick.tick().await;
            for _ in 0..idle_wakes {
                // notify_one stores a permit if the task is between waits, so
                // no wake is lost.
                idle[next].notify_one();
                next = (next + 1) % idle.len();
            }
        }
    });
}
