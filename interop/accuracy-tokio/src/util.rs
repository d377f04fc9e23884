//! Small helpers shared by the scenarios: named spawns, the ready line, and
//! "forever" waits that still look like ordinary code.

use std::future::Future;
use std::io::Write;
use std::time::Duration;

/// Spawns a named task so the console (and the verdicts) can refer to it.
#[track_caller]
pub fn spawn_named<F>(name: &str, fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::task::Builder::new().name(name).spawn(fut).expect("spawn")
}

/// The line a test waits for before it attaches: the scenario's shape has formed.
pub fn ready() {
    let mut out = std::io::stdout();
    let _ = writeln!(out, "ready");
    let _ = out.flush();
}

/// An hour: longer than any check window, short enough to be an honest sleep.
pub const HOUR: Duration = Duration::from_secs(3600);

/// Lets tasks that were just unblocked reach their next await.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// A cheap deterministic spread of small delays (no rand dependency).
pub fn jitter(seed: u64, max_ms: u64) -> Duration {
    let x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    Duration::from_millis(1 + (x >> 33) % max_ms.max(1))
}
