//! A client on the console-api crate that connects to a console server, reads
//! what it is told to, and prints every decoded message as canonical JSON.
//!
//!   probe-client URL [--updates N] [--task-id ID] [--details N] [--pause]
//!
//! It keeps tonic's default 4 MiB decoding limit, as tokio-console does, so a
//! server that sends oversized messages fails here the same way.

use console_api::instrument::instrument_client::InstrumentClient;
use console_api::instrument::{InstrumentRequest, PauseRequest, ResumeRequest, StateRequest, TaskDetailsRequest};
use console_api::Id;
use console_json::json;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::timeout;

const READ_TIMEOUT: Duration = Duration::from_secs(15);

fn fail(what: &str, err: impl std::fmt::Display) -> ! {
    eprintln!("probe-client: {what}: {err}");
    std::process::exit(1);
}

async fn next<T>(stream: &mut tonic::Streaming<T>, what: &str) -> T {
    match timeout(READ_TIMEOUT, stream.message()).await {
        Err(_) => fail(what, "timed out"),
        Ok(Err(status)) => fail(what, status),
        Ok(Ok(None)) => fail(what, "stream ended"),
        Ok(Ok(Some(m))) => m,
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| fail("usage", "probe-client URL [options]"));
    let opt = |name: &str| -> Option<u64> {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(|v| v.parse().unwrap_or_else(|e| fail(name, e)))
    };
    let want_updates = opt("--updates").unwrap_or(1);
    let want_details = opt("--details").unwrap_or(1);
    let task_id = opt("--task-id");
    let exercise_pause = args.iter().any(|a| a == "--pause");

    let mut client = match timeout(READ_TIMEOUT, InstrumentClient::connect(url.clone())).await {
        Err(_) => fail("connect", "timed out"),
        Ok(Err(e)) => fail("connect", e),
        Ok(Ok(c)) => c,
    };

    // Like tokio-console: open both watches and wait for each call's headers.
    let mut updates_stream = match timeout(READ_TIMEOUT, client.watch_updates(InstrumentRequest {})).await {
        Err(_) => fail("watch_updates headers", "timed out"),
        Ok(r) => r.unwrap_or_else(|e| fail("watch_updates", e)).into_inner(),
    };
    let mut state_stream = match timeout(READ_TIMEOUT, client.watch_state(StateRequest {})).await {
        Err(_) => fail("watch_state headers", "timed out"),
        Ok(r) => r.unwrap_or_else(|e| fail("watch_state", e)).into_inner(),
    };

    let mut updates = Vec::new();
    for _ in 0..want_updates {
        updates.push(json::update(&next(&mut updates_stream, "update").await));
    }
    let mut states = vec![json::state(&next(&mut state_stream, "state").await)];

    if exercise_pause {
        client.pause(PauseRequest {}).await.unwrap_or_else(|e| fail("pause", e));
        states.push(json::state(&next(&mut state_stream, "state after pause").await));
        client.resume(ResumeRequest {}).await.unwrap_or_else(|e| fail("resume", e));
        states.push(json::state(&next(&mut state_stream, "state after resume").await));
    }

    let mut details = Vec::new();
    if let Some(task_id) = task_id {
        let request = TaskDetailsRequest { id: Some(Id { id: task_id }) };
        let mut stream = client.watch_task_details(request).await.unwrap_or_else(|e| fail("watch_task_details", e)).into_inner();
        for _ in 0..want_details {
            details.push(json::task_details(&next(&mut stream, "task details").await));
        }
    }

    // The error a server gives for a task it does not know, as a code name.
    let missing = TaskDetailsRequest { id: Some(Id { id: 424_242 }) };
    let missing_code = match client.watch_task_details(missing).await {
        Ok(mut s) => match timeout(READ_TIMEOUT, s.get_mut().message()).await {
            Ok(Err(status)) => format!("{:?}", status.code()),
            _ => "Ok".to_string(),
        },
        Err(status) => format!("{:?}", status.code()),
    };

    let out: Value = json!({
        "updates": updates,
        "states": states,
        "taskDetails": details,
        "unknownTaskCode": missing_code,
    });
    println!("{out}");
}
