//! Programs with a planted problem. "Before attach" scenarios print the
//! ready line only once the problem has formed, so a console that connects
//! after it sees nothing but the snapshot. "After attach" scenarios print it
//! at once and let the problem form FORM_AFTER_MS later (default 2500).

use crate::util::{ready, settle, spawn_named, HOUR};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Barrier, Mutex, RwLock, Semaphore};
use tokio::time::sleep;

fn form_after() -> Duration {
    let ms = std::env::var("FORM_AFTER_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(2_500);
    Duration::from_millis(ms)
}

/// `n` tasks in a ring over `n` mutexes: task i holds lock i and asks for lock i+1.
async fn mutex_ring(prefix: &str, n: usize) {
    let locks: Vec<_> = (0..n).map(|_| Arc::new(Mutex::new(0u64))).collect();
    let all_hold = Arc::new(Barrier::new(n + 1));
    for i in 0..n {
        let (mine, next, gate) = (locks[i].clone(), locks[(i + 1) % n].clone(), all_hold.clone());
        spawn_named(&format!("{prefix}-{i}"), async move {
            let _mine = mine.lock().await;
            gate.wait().await;
            let _next = next.lock().await;
            unreachable!("deadlocked on purpose");
        });
    }
    all_hold.wait().await;
    settle().await;
}

/// Three tasks, three mutexes, formed before the console attaches.
pub async fn ring3_before_attach() {
    mutex_ring("ring", 3).await;
    ready();
}

/// Fifty tasks in one ring of mutexes, formed before attach.
pub async fn ring50_before_attach() {
    mutex_ring("ring50", 50).await;
    ready();
}

/// Two tasks taking two mutexes in opposite order, after the console attached.
pub async fn abba_after_attach() {
    ready();
    sleep(form_after()).await;
    mutex_ring("abba", 2).await;
}

/// A writer holds the config and wants the ledger; the ledger's holder wants to read the config.
pub async fn rwlock_mutex_cycle_before_attach() {
    let config = Arc::new(RwLock::new(String::from("v1")));
    let ledger = Arc::new(Mutex::new(0u64));
    let both = Arc::new(Barrier::new(3));
    {
        let (config, ledger, gate) = (config.clone(), ledger.clone(), both.clone());
        spawn_named("config-updater", async move {
            let mut cfg = config.write().await;
            gate.wait().await;
            *ledger.lock().await += 1;
            cfg.push('!');
        });
    }
    {
        let (config, ledger, gate) = (config.clone(), ledger.clone(), both.clone());
        spawn_named("ledger-auditor", async move {
            let mut total = ledger.lock().await;
            gate.wait().await;
            *total += config.read().await.len() as u64;
        });
    }
    both.wait().await;
    settle().await;
    ready();
}

/// A reader keeps a read guard while it waits for a mutex whose holder wants to write.
pub async fn reader_cycle_before_attach() {
    let table = Arc::new(RwLock::new(vec![1u64]));
    let index = Arc::new(Mutex::new(0u64));
    let both = Arc::new(Barrier::new(3));
    {
        let (table, index, gate) = (table.clone(), index.clone(), both.clone());
        spawn_named("table-scanner", async move {
            let rows = table.read().await;
            gate.wait().await;
            *index.lock().await += rows.len() as u64;
        });
    }
    {
        let (table, index, gate) = (table.clone(), index.clone(), both.clone());
        spawn_named("index-rebuilder", async move {
            let mut idx = index.lock().await;
            gate.wait().await;
            table.write().await.push(*idx);
            *idx += 1;
        });
    }
    both.wait().await;
    settle().await;
    ready();
}

/// Five tasks in a ring over alternating mutexes and rwlocks (read held, write wanted).
pub async fn mixed_ring5_before_attach() {
    enum Lock {
        M(Arc<Mutex<u64>>),
        R(Arc<RwLock<u64>>),
    }
    let locks: Vec<Arc<Lock>> = (0..5)
        .map(|i| Arc::new(if i % 2 == 0 { Lock::M(Arc::new(Mutex::new(0))) } else { Lock::R(Arc::new(RwLock::new(0))) }))
        .collect();
    let all_hold = Arc::new(Barrier::new(6));
    for i in 0..5 {
        let (mine, next, gate) = (locks[i].clone(), locks[(i + 1) % 5].clone(), all_hold.clone());
        spawn_named(&format!("mixed-{i}"), async move {
            match &*mine {
                Lock::M(m) => {
                    let _held = m.lock().await;
                    gate.wait().await;
                    take_exclusive(&next).await;
                }
                Lock::R(r) => {
                    let _held = r.read().await;
                    gate.wait().await;
                    take_exclusive(&next).await;
                }
            }
        });
    }
    async fn take_exclusive(lock: &Lock) {
        match lock {
            Lock::M(m) => *m.lock().await += 1,
            Lock::R(r) => *r.write().await += 1,
        }
    }
    all_hold.wait().await;
    settle().await;
    ready();
}

/// A task locks a mutex it already holds.
pub async fn self_deadlock_before_attach() {
    let session = Arc::new(Mutex::new(0u64));
    let s = session.clone();
    spawn_named("session-renewer", async move {
        let mut guard = s.lock().await;
        *guard += 1;
        // A helper that locks again, as refactored code does by accident.
        let again = s.lock().await;
        drop(again);
    });
    settle().await;
    ready();
}

/// A task holds a mutex across an hour-long sleep; three tasks queue behind it.
pub async fn sleeper_holds_mutex_before_attach() {
    let cache = Arc::new(Mutex::new(0u64));
    let (held_tx, mut held_rx) = mpsc::channel::<()>(1);
    {
        let cache = cache.clone();
        spawn_named("slow-refresher", async move {
            let _guard = cache.lock().await;
            let _ = held_tx.send(()).await;
            sleep(HOUR).await;
        });
    }
    let _ = held_rx.recv().await;
    for i in 0..3 {
        let cache = cache.clone();
        spawn_named(&format!("cache-reader-{i}"), async move {
            *cache.lock().await += 1;
        });
    }
    settle().await;
    ready();
}

/// A reader holds a read guard across an hour-long sleep; a writer queues behind it.
pub async fn sleeping_reader_before_attach() {
    let routes = Arc::new(RwLock::new(0u64));
    let (held_tx, mut held_rx) = mpsc::channel::<()>(1);
    {
        let routes = routes.clone();
        spawn_named("route-snapshotter", async move {
            let _view = routes.read().await;
            let _ = held_tx.send(()).await;
            sleep(HOUR).await;
        });
    }
    let _ = held_rx.recv().await;
    spawn_named("route-updater", async move {
        *routes.write().await += 1;
    });
    settle().await;
    ready();
}

/// Both permits of a pool are held by tasks that sleep for an hour; three workers queue.
pub async fn idle_permit_holders_before_attach() {
    let pool = Arc::new(Semaphore::new(2));
    let taken = Arc::new(Barrier::new(3));
    for i in 0..2 {
        let (pool, gate) = (pool.clone(), taken.clone());
        spawn_named(&format!("conn-hog-{i}"), async move {
            let _conn = pool.acquire().await.expect("open");
            gate.wait().await;
            sleep(HOUR).await;
        });
    }
    taken.wait().await;
    for i in 0..3 {
        let pool = pool.clone();
        spawn_named(&format!("query-{i}"), async move {
            let _conn = pool.acquire().await.expect("open");
        });
    }
    settle().await;
    ready();
}

/// Permit starvation: a hoarder keeps two of three permits while a job needs two.
pub async fn permit_starvation_before_attach() {
    let budget = Arc::new(Semaphore::new(3));
    let (held_tx, mut held_rx) = mpsc::channel::<()>(1);
    {
        let budget = budget.clone();
        spawn_named("budget-hoarder", async move {
            let _two = budget.acquire_many(2).await.expect("open");
            let _ = held_tx.send(()).await;
            sleep(HOUR).await;
        });
    }
    let _ = held_rx.recv().await;
    spawn_named("big-job", async move {
        let _two = budget.acquire_many(2).await.expect("open");
    });
    settle().await;
    ready();
}

/// A ring of three writers over three rwlocks, formed after the console attached.
pub async fn rwlock_ring_after_attach() {
    ready();
    sleep(form_after()).await;
    let locks: Vec<_> = (0..3).map(|_| Arc::new(RwLock::new(0u64))).collect();
    let all_hold = Arc::new(Barrier::new(3));
    for i in 0..3 {
        let (mine, next, gate) = (locks[i].clone(), locks[(i + 1) % 3].clone(), all_hold.clone());
        spawn_named(&format!("writer-ring-{i}"), async move {
            let _mine = mine.write().await;
            gate.wait().await;
            *next.write().await += 1;
        });
    }
}

/**
 * A task holds the only permit of a limiter and wants a mutex whose holder
 * waits for a permit. tokio does not say who holds a semaphore's permits,
 * only who took some, so this cycle can be called likely, not certain.
 */
pub async fn semaphore_mutex_cycle_before_attach() {
    let limiter = Arc::new(Semaphore::new(1));
    let registry = Arc::new(Mutex::new(0u64));
    let both = Arc::new(Barrier::new(3));
    {
        let (limiter, registry, gate) = (limiter.clone(), registry.clone(), both.clone());
        spawn_named("limited-job", async move {
            let _slot = limiter.acquire().await.expect("open");
            gate.wait().await;
            *registry.lock().await += 1;
        });
    }
    {
        let (limiter, registry, gate) = (limiter.clone(), registry.clone(), both.clone());
        spawn_named("registry-sweeper", async move {
            let mut entries = registry.lock().await;
            gate.wait().await;
            let _slot = limiter.acquire().await.expect("open");
            *entries = 0;
        });
    }
    both.wait().await;
    settle().await;
    ready();
}
