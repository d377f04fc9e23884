//! A console server built on the console-api crate's generated service that
//! sends the fixed messages from `console_json::fixtures`.
//!
//!   fixture-server serve ADDR      serve until killed; prints "listening ADDR"
//!   fixture-server expected        the served messages as canonical JSON
//!   fixture-server hdr-vectors     HdrHistogram V2 vectors as JSON

use console_api::instrument::instrument_server::{Instrument, InstrumentServer};
use console_api::instrument::{
    InstrumentRequest, PauseRequest, PauseResponse, ResumeRequest, ResumeResponse, State, StateRequest,
    TaskDetailsRequest, Update,
};
use console_api::tasks::TaskDetails;
use console_api::trace::trace_server::{Trace, TraceServer};
use console_api::trace::{TraceEvent, WatchRequest};
use console_json::{fixtures, hdr_vectors, json};
use serde_json::json;
use std::pin::Pin;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

type Boxed<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// Sends `items`, then keeps the stream open the way a live subscriber does.
fn open_stream<T: Send + 'static>(items: Vec<T>) -> Boxed<T> {
    let (tx, rx) = mpsc::channel(items.len().max(1) + 1);
    tokio::spawn(async move {
        for item in items {
            if tx.send(Ok(item)).await.is_err() {
                return;
            }
        }
        tx.closed().await;
    });
    Box::pin(ReceiverStream::new(rx))
}

struct Fixture {
    paused: watch::Sender<bool>,
}

#[tonic::async_trait]
impl Instrument for Fixture {
    type WatchUpdatesStream = Boxed<Update>;
    type WatchTaskDetailsStream = Boxed<TaskDetails>;
    type WatchStateStream = Boxed<State>;

    async fn watch_updates(&self, _: Request<InstrumentRequest>) -> Result<Response<Self::WatchUpdatesStream>, Status> {
        Ok(Response::new(open_stream(fixtures::updates())))
    }

    async fn watch_task_details(
        &self,
        request: Request<TaskDetailsRequest>,
    ) -> Result<Response<Self::WatchTaskDetailsStream>, Status> {
        match request.into_inner().id.map(|i| i.id) {
            None | Some(0) => Err(Status::invalid_argument("task id is required")),
            Some(fixtures::TASK_ID) => Ok(Response::new(open_stream(fixtures::task_details()))),
            Some(_) => Err(Status::not_found("task not found")),
        }
    }

    async fn watch_state(&self, _: Request<StateRequest>) -> Result<Response<Self::WatchStateStream>, Status> {
        let mut paused = self.paused.subscribe();
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            loop {
                let state = fixtures::states()[usize::from(*paused.borrow_and_update())].clone();
                if tx.send(Ok(state)).await.is_err() || paused.changed().await.is_err() {
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn pause(&self, _: Request<PauseRequest>) -> Result<Response<PauseResponse>, Status> {
        self.paused.send_replace(true);
        eprintln!("paused");
        Ok(Response::new(PauseResponse {}))
    }

    async fn resume(&self, _: Request<ResumeRequest>) -> Result<Response<ResumeResponse>, Status> {
        self.paused.send_replace(false);
        eprintln!("resumed");
        Ok(Response::new(ResumeResponse {}))
    }
}

struct TraceFixture;

#[tonic::async_trait]
impl Trace for TraceFixture {
    type WatchStream = Boxed<TraceEvent>;

    async fn watch(&self, _: Request<WatchRequest>) -> Result<Response<Self::WatchStream>, Status> {
        Ok(Response::new(open_stream(fixtures::trace_events())))
    }
}

fn expected() -> serde_json::Value {
    json!({
        "updates": fixtures::updates().iter().map(json::update).collect::<Vec<_>>(),
        "taskDetails": fixtures::task_details().iter().map(json::task_details).collect::<Vec<_>>(),
        "states": fixtures::states().iter().map(json::state).collect::<Vec<_>>(),
        "traceEvents": fixtures::trace_events().iter().map(json::trace_event).collect::<Vec<_>>(),
    })
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("expected") => println!("{}", expected()),
        Some("hdr-vectors") => println!("{}", hdr_vectors::vectors()),
        Some("serve") => {
            let addr = args.get(2).map(String::as_str).unwrap_or("127.0.0.1:0");
            let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
            println!("listening {}", listener.local_addr().unwrap());
            let (paused, _) = watch::channel(false);
            tonic::transport::Server::builder()
                .add_service(InstrumentServer::new(Fixture { paused }))
                .add_service(TraceServer::new(TraceFixture))
                .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener))
                .await
                .expect("serve");
        }
        _ => {
            eprintln!("usage: fixture-server (serve [ADDR] | expected | hdr-vectors)");
            std::process::exit(2);
        }
    }
}
