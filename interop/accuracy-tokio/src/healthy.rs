//! Healthy programs with the shapes real services have. Each one keeps
//! running (and keeps making progress) until the process is killed; none of
//! them should ever be reported as stuck.

use crate::util::{jitter, ready, spawn_named};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, Mutex, Notify, RwLock, Semaphore};
use tokio::time::{sleep, timeout};

/// Eight workers fight over one counter; each holds it for a moment.
pub async fn mutex_contention() {
    let counter = Arc::new(Mutex::new(0u64));
    for i in 0..8u64 {
        let counter = counter.clone();
        spawn_named(&format!("counter-worker-{i}"), async move {
            let mut n = 0u64;
            loop {
                n += 1;
                let mut value = counter.lock().await;
                *value += 1;
                sleep(jitter(i * 31 + n, 3)).await;
                drop(value);
                sleep(jitter(i + n, 5)).await;
            }
        });
    }
    ready();
}

/// A fast producer in front of a slow consumer: the channel is full most of the time.
pub async fn full_pipeline() {
    let (tx, mut rx) = mpsc::channel::<u64>(2);
    spawn_named("pipeline-producer", async move {
        let mut n = 0u64;
        loop {
            n += 1;
            if tx.send(n).await.is_err() {
                return;
            }
        }
    });
    spawn_named("pipeline-consumer", async move {
        while let Some(item) = rx.recv().await {
            std::hint::black_box(item);
            sleep(Duration::from_millis(40)).await;
        }
    });
    ready();
}

/// A cache refresher notified by a ticker every 300 ms.
pub async fn periodic_notify() {
    let notify = Arc::new(Notify::new());
    let waiter = notify.clone();
    spawn_named("cache-refresher", async move {
        loop {
            waiter.notified().await;
            sleep(Duration::from_millis(5)).await;
        }
    });
    spawn_named("refresh-ticker", async move {
        loop {
            sleep(Duration::from_millis(300)).await;
            notify.notify_one();
        }
    });
    ready();
}

struct Request {
    key: u64,
    reply: oneshot::Sender<u64>,
}

/// An actor answers requests over oneshot replies; each answer takes 150 ms.
pub async fn actor_oneshot() {
    let (tx, mut rx) = mpsc::channel::<Request>(16);
    spawn_named("store-actor", async move {
        while let Some(req) = rx.recv().await {
            sleep(Duration::from_millis(150)).await;
            let _ = req.reply.send(req.key * 2);
        }
    });
    for i in 0..3u64 {
        let tx = tx.clone();
        spawn_named(&format!("actor-client-{i}"), async move {
            let mut key = i;
            loop {
                let (reply, answer) = oneshot::channel();
                if tx.send(Request { key, reply }).await.is_err() {
                    return;
                }
                key = answer.await.unwrap_or(0) + 1;
                sleep(jitter(key, 50)).await;
            }
        });
    }
    ready();
}

/// Four producers feed one aggregator at their own pace.
pub async fn fan_in() {
    let (tx, mut rx) = mpsc::channel::<(u64, u64)>(8);
    for i in 0..4u64 {
        let tx = tx.clone();
        spawn_named(&format!("sensor-{i}"), async move {
            let mut n = 0;
            loop {
                n += 1;
                sleep(jitter(i * 7 + n, 120)).await;
                if tx.send((i, n)).await.is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    spawn_named("aggregator", async move {
        let mut total = 0u64;
        while let Some((_, n)) = rx.recv().await {
            total = total.wrapping_add(n);
        }
        std::hint::black_box(total);
    });
    ready();
}

/// A dispatcher hands jobs round-robin to three workers and collects results.
pub async fn fan_out() {
    let (done_tx, mut done_rx) = mpsc::channel::<u64>(4);
    let mut workers = Vec::new();
    for i in 0..3u64 {
        let (tx, mut rx) = mpsc::channel::<u64>(1);
        let done = done_tx.clone();
        spawn_named(&format!("fanout-worker-{i}"), async move {
            while let Some(job) = rx.recv().await {
                sleep(jitter(job, 80)).await;
                if done.send(job).await.is_err() {
                    return;
                }
            }
        });
        workers.push(tx);
    }
    drop(done_tx);
    spawn_named("dispatcher", async move {
        let mut job = 0u64;
        loop {
            for worker in &workers {
                job += 1;
                if worker.send(job).await.is_err() {
                    return;
                }
            }
            for _ in 0..workers.len() {
                let _ = done_rx.recv().await;
            }
        }
    });
    ready();
}

/// Waits that a timeout breaks: a rare event, and a busy resource.
pub async fn timeouts() {
    let (tx, mut rx) = mpsc::channel::<u64>(1);
    spawn_named("rare-events", async move {
        let mut n = 0;
        loop {
            sleep(Duration::from_millis(2_500)).await;
            n += 1;
            if tx.send(n).await.is_err() {
                return;
            }
        }
    });
    spawn_named("event-poller", async move {
        loop {
            // Gives up after 200 ms and does housekeeping instead.
            match timeout(Duration::from_millis(200), rx.recv()).await {
                Ok(None) => return,
                Ok(Some(_)) | Err(_) => sleep(Duration::from_millis(10)).await,
            }
        }
    });
    let slots = Arc::new(Semaphore::new(1));
    for i in 0..3u64 {
        let slots = slots.clone();
        spawn_named(&format!("impatient-{i}"), async move {
            loop {
                if let Ok(Ok(permit)) = timeout(Duration::from_millis(30), slots.acquire()).await {
                    sleep(Duration::from_millis(20)).await;
                    drop(permit);
                }
                sleep(jitter(i, 20)).await;
            }
        });
    }
    ready();
}

/// A guard taken by one task and released by another after a short job.
pub async fn released_elsewhere() {
    let state = Arc::new(Mutex::new(0u64));
    spawn_named("lock-taker", async move {
        loop {
            let guard = state.clone().lock_owned().await;
            let (done_tx, done_rx) = oneshot::channel::<()>();
            spawn_named("lock-releaser", async move {
                let mut guard = guard;
                *guard += 1;
                sleep(Duration::from_millis(30)).await;
                drop(guard);
                let _ = done_tx.send(());
            });
            let _ = done_rx.await;
            sleep(Duration::from_millis(50)).await;
        }
    });
    ready();
}

/// A limiter lets three of eight workers run at a time; all keep finishing.
pub async fn semaphore_workers() {
    let limit = Arc::new(Semaphore::new(3));
    for i in 0..8u64 {
        let limit = limit.clone();
        spawn_named(&format!("limited-worker-{i}"), async move {
            let mut n = 0;
            loop {
                n += 1;
                let permit = limit.acquire().await.expect("open");
                sleep(jitter(i * 13 + n, 40)).await;
                drop(permit);
                tokio::task::yield_now().await;
            }
        });
    }
    ready();
}

/// Many readers and a writer that updates the configuration now and then.
pub async fn rwlock_readers() {
    let config = Arc::new(RwLock::new(vec![0u64; 16]));
    for i in 0..5u64 {
        let config = config.clone();
        spawn_named(&format!("config-reader-{i}"), async move {
            let mut n = 0;
            loop {
                n += 1;
                let view = config.read().await;
                std::hint::black_box(view[(n % 16) as usize]);
                sleep(jitter(i + n, 10)).await;
                drop(view);
                sleep(jitter(i * 3 + n, 10)).await;
            }
        });
    }
    spawn_named("config-writer", async move {
        let mut n = 0;
        loop {
            n += 1;
            sleep(Duration::from_millis(200)).await;
            config.write().await[(n % 16) as usize] = n;
        }
    });
    ready();
}

/// A supervisor starts batches of jobs and awaits their handles.
pub async fn join_batches() {
    spawn_named("batch-supervisor", async move {
        let mut batch = 0u64;
        loop {
            batch += 1;
            let handles: Vec<_> = (0..3u64)
                .map(|i| {
                    spawn_named(&format!("batch-job-{i}"), async move {
                        sleep(jitter(batch * 3 + i, 400)).await;
                        i
                    })
                })
                .collect();
            for handle in handles {
                let _ = handle.await;
            }
        }
    });
    ready();
}

/// Two locks always taken in the same order by many tasks: contention, never a cycle.
pub async fn ordered_locks() {
    let accounts = Arc::new(Mutex::new(0i64));
    let journal = Arc::new(Mutex::new(Vec::<i64>::new()));
    for i in 0..4i64 {
        let (accounts, journal) = (accounts.clone(), journal.clone());
        spawn_named(&format!("ordered-{i}"), async move {
            let mut n = 0u64;
            loop {
                n += 1;
                let mut a = accounts.lock().await;
                let mut j = journal.lock().await;
                *a += i;
                j.push(*a);
                if j.len() > 64 {
                    j.clear();
                }
                sleep(jitter(n + i as u64, 4)).await;
                drop(j);
                drop(a);
                sleep(jitter(n * 5 + i as u64, 6)).await;
            }
        });
    }
    ready();
}

/** Workers meet at a barrier after each round of uneven work. */
pub async fn barrier_rounds() {
    let round_done = Arc::new(tokio::sync::Barrier::new(4));
    for i in 0..4u64 {
        let gate = round_done.clone();
        spawn_named(&format!("round-worker-{i}"), async move {
            let mut round = 0u64;
            loop {
                round += 1;
                sleep(jitter(round * 4 + i, 150)).await;
                gate.wait().await;
            }
        });
    }
    ready();
}

/** A connection limiter: the acceptor takes an owned permit and hands it to each handler task. */
pub async fn owned_permit_handoff() {
    let limit = Arc::new(Semaphore::new(2));
    spawn_named("acceptor", async move {
        let mut conn = 0u64;
        loop {
            conn += 1;
            let permit = limit.clone().acquire_owned().await.expect("open");
            sleep(Duration::from_millis(15)).await; // the next connection arrives
            spawn_named("conn-handler", async move {
                sleep(jitter(conn, 200)).await;
                drop(permit);
            });
        }
    });
    ready();
}

/** A session table locked across a short await (a cache lookup), with others queued briefly. */
pub async fn lock_across_short_await() {
    let sessions = Arc::new(Mutex::new(std::collections::HashMap::<u64, u64>::new()));
    for i in 0..4u64 {
        let sessions = sessions.clone();
        spawn_named(&format!("session-touch-{i}"), async move {
            let mut n = 0u64;
            loop {
                n += 1;
                let mut table = sessions.lock().await;
                sleep(Duration::from_millis(20)).await;
                table.insert(i, n);
                drop(table);
                sleep(jitter(n + i, 60)).await;
            }
        });
    }
    ready();
}

/** A rate limiter: a refill task adds two tokens a second; crawlers spend one per slow request. */
pub async fn token_bucket() {
    let tokens = Arc::new(Semaphore::new(2));
    {
        let tokens = tokens.clone();
        spawn_named("token-refill", async move {
            loop {
                sleep(Duration::from_millis(1_000)).await;
                if tokens.available_permits() < 2 {
                    tokens.add_permits(2 - tokens.available_permits());
                }
            }
        });
    }
    for i in 0..4u64 {
        let tokens = tokens.clone();
        spawn_named(&format!("crawler-{i}"), async move {
            loop {
                tokens.acquire().await.expect("open").forget();
                sleep(Duration::from_millis(1_200)).await; // a slow request
            }
        });
    }
    ready();
}
