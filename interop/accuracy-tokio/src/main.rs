//! The tokio half of the accuracy corpus (test/accuracy/tokio): one small
//! program per scenario, chosen by the first argument, watched through
//! console-subscriber. Healthy scenarios keep making progress; planted ones
//! form a problem and stay stuck. Every scenario prints `ready` once its
//! shape has formed (see planted.rs for the before/after-attach timing) and
//! runs until killed.
//!
//! TOKIO_CONSOLE_BIND picks the console address (default 127.0.0.1:6669).

mod healthy;
mod planted;
mod util;

type Scenario = fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

macro_rules! scenarios {
    ($($name:literal => $f:path),* $(,)?) => {
        &[$(($name, || Box::pin($f()) as std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>)),*]
    };
}

const SCENARIOS: &[(&str, Scenario)] = scenarios![
    "mutex-contention" => healthy::mutex_contention,
    "full-pipeline" => healthy::full_pipeline,
    "periodic-notify" => healthy::periodic_notify,
    "actor-oneshot" => healthy::actor_oneshot,
    "fan-in" => healthy::fan_in,
    "fan-out" => healthy::fan_out,
    "timeouts" => healthy::timeouts,
    "released-elsewhere" => healthy::released_elsewhere,
    "semaphore-workers" => healthy::semaphore_workers,
    "rwlock-readers" => healthy::rwlock_readers,
    "join-batches" => healthy::join_batches,
    "ordered-locks" => healthy::ordered_locks,
    "barrier-rounds" => healthy::barrier_rounds,
    "owned-permit-handoff" => healthy::owned_permit_handoff,
    "lock-across-short-await" => healthy::lock_across_short_await,
    "token-bucket" => healthy::token_bucket,
    "ring3-before-attach" => planted::ring3_before_attach,
    "ring50-before-attach" => planted::ring50_before_attach,
    "abba-after-attach" => planted::abba_after_attach,
    "rwlock-mutex-cycle-before-attach" => planted::rwlock_mutex_cycle_before_attach,
    "reader-cycle-before-attach" => planted::reader_cycle_before_attach,
    "mixed-ring5-before-attach" => planted::mixed_ring5_before_attach,
    "self-deadlock-before-attach" => planted::self_deadlock_before_attach,
    "sleeper-holds-mutex-before-attach" => planted::sleeper_holds_mutex_before_attach,
    "sleeping-reader-before-attach" => planted::sleeping_reader_before_attach,
    "idle-permit-holders-before-attach" => planted::idle_permit_holders_before_attach,
    "permit-starvation-before-attach" => planted::permit_starvation_before_attach,
    "rwlock-ring-after-attach" => planted::rwlock_ring_after_attach,
    "semaphore-mutex-cycle-before-attach" => planted::semaphore_mutex_cycle_before_attach,
];

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    if arg == "--list" {
        for (name, _) in SCENARIOS {
            println!("{name}");
        }
        return;
    }
    let Some((_, scenario)) = SCENARIOS.iter().find(|(name, _)| *name == arg) else {
        eprintln!("accuracy-tokio: unknown scenario {arg:?}; --list prints them");
        std::process::exit(2);
    };
    console_subscriber::init();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    runtime.block_on(async move {
        scenario().await;
        std::future::pending::<()>().await;
    });
}
