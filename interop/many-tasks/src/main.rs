//! A tokio app with many live tasks for console benchmarks: TASKS (default
//! 10000) named workers, each waking on its own timer between 50 ms and 1 s
//! and doing a little work, so every console update carries thousands of
//! changed task stats. Runs until killed.
//!
//! TOKIO_CONSOLE_BIND picks the console address (default 127.0.0.1:6669).

use std::time::Duration;

fn main() {
    console_subscriber::init();
    let tasks: u64 = std::env::var("TASKS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        for i in 0..tasks {
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
        std::future::pending::<()>().await;
    });
}
