//! Fixed console-api messages that set every field and every oneof arm.
//!
//! Ids sit above 2^53 on purpose: a decoder that goes through a JS `number`
//! loses their low bits, and the comparison catches it.

use console_api as common;
use console_api::{async_ops, instrument, resources, tasks, trace};
use hdrhistogram::serialization::{Serializer, V2Serializer};
use hdrhistogram::Histogram;
use prost_types::{Duration, Timestamp};
use std::collections::HashMap;

pub const BIG: u64 = (1 << 53) + 1;
pub const TASK_ID: u64 = u64::MAX - 1;
pub const BLOCKING_TASK_ID: u64 = BIG + 2;
pub const RESOURCE_ID: u64 = BIG + 10;
pub const CHILD_RESOURCE_ID: u64 = BIG + 11;
pub const ASYNC_OP_ID: u64 = BIG + 20;
pub const PARENT_ASYNC_OP_ID: u64 = BIG + 21;

fn ts(seconds: i64, nanos: i32) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos })
}

fn dur(seconds: i64, nanos: i32) -> Option<Duration> {
    Some(Duration { seconds, nanos })
}

fn id(v: u64) -> Option<common::Id> {
    Some(common::Id { id: v })
}

fn meta(v: u64) -> Option<common::MetaId> {
    Some(common::MetaId { id: v })
}

fn loc(file: &str, line: u32, column: u32) -> Option<common::Location> {
    Some(common::Location {
        file: Some(file.into()),
        module_path: Some("fixture::module".into()),
        line: Some(line),
        column: Some(column),
    })
}

fn str_field(name: &str, value: &str) -> common::Field {
    common::Field {
        name: Some(common::field::Name::StrName(name.into())),
        value: Some(common::field::Value::StrVal(value.into())),
        metadata_id: meta(BIG),
    }
}

/// One field per arm of both oneofs in `Field`.
fn every_field_arm() -> Vec<common::Field> {
    use common::field::{Name, Value};
    vec![
        str_field("task.name", "fixture-worker"),
        common::Field {
            name: Some(Name::NameIdx(1)),
            value: Some(Value::DebugVal("Some(\"debug\")".into())),
            metadata_id: meta(BIG),
        },
        common::Field {
            name: Some(Name::StrName("big.unsigned".into())),
            value: Some(Value::U64Val((1 << 63) + 5)),
            metadata_id: meta(BIG),
        },
        common::Field {
            name: Some(Name::StrName("big.signed".into())),
            value: Some(Value::I64Val(-(BIG as i64))),
            metadata_id: meta(BIG),
        },
        common::Field {
            name: Some(Name::StrName("flag".into())),
            value: Some(Value::BoolVal(true)),
            metadata_id: meta(BIG),
        },
    ]
}

fn all_metadata() -> common::RegisterMetadata {
    use common::metadata::{Kind, Level};
    let entries = [
        (BIG, "runtime.spawn", Kind::Span, Level::Trace),
        (BIG + 1, "runtime.resource", Kind::Span, Level::Debug),
        (BIG + 2, "runtime.resource.async_op", Kind::Span, Level::Info),
        (BIG + 3, "waker", Kind::Event, Level::Warn),
        (BIG + 4, "poll_op", Kind::Event, Level::Error),
    ];
    common::RegisterMetadata {
        metadata: entries
            .iter()
            .enumerate()
            .map(|(i, (mid, name, kind, level))| common::register_metadata::NewMetadata {
                id: meta(*mid),
                metadata: Some(common::Metadata {
                    name: (*name).into(),
                    target: "tokio::task".into(),
                    module_path: "tokio::runtime".into(),
                    location: loc("src/runtime/task.rs", 100 + i as u32, 9),
                    kind: *kind as i32,
                    level: *level as i32,
                    field_names: vec!["task.name".into(), "task.id".into()],
                }),
            })
            .collect(),
    }
}

fn full_poll_stats() -> Option<common::PollStats> {
    Some(common::PollStats {
        polls: 42,
        first_poll: ts(1_700_000_000, 5_000_000),
        last_poll_started: ts(1_700_000_010, 123_456_789),
        last_poll_ended: ts(1_700_000_010, 123_457_000),
        busy_time: dur(3, 250_000),
    })
}

fn task_stats(wakes: u64) -> tasks::Stats {
    tasks::Stats {
        created_at: ts(1_700_000_000, 0),
        dropped_at: ts(1_700_000_020, 999_999_999),
        wakes,
        waker_clones: 7,
        waker_drops: 6,
        last_wake: ts(1_700_000_010, 100),
        poll_stats: full_poll_stats(),
        self_wakes: 2,
        scheduled_time: dur(0, 1_500),
    }
}

fn attribute(name: &str, value: common::field::Value, unit: Option<&str>) -> common::Attribute {
    common::Attribute {
        field: Some(common::Field {
            name: Some(common::field::Name::StrName(name.into())),
            value: Some(value),
            metadata_id: meta(BIG + 1),
        }),
        unit: unit.map(Into::into),
    }
}

pub fn updates() -> Vec<instrument::Update> {
    use resources::resource::kind::{Kind, Known};
    let first = instrument::Update {
        now: ts(1_700_000_030, 1),
        task_update: Some(tasks::TaskUpdate {
            new_tasks: vec![
                tasks::Task {
                    id: id(TASK_ID),
                    metadata: meta(BIG),
                    kind: tasks::task::Kind::Spawn as i32,
                    fields: every_field_arm(),
                    parents: vec![common::SpanId { id: BIG + 100 }],
                    location: loc("src/worker.rs", 12, 5),
                },
                tasks::Task {
                    id: id(BLOCKING_TASK_ID),
                    metadata: meta(BIG),
                    kind: tasks::task::Kind::Blocking as i32,
                    fields: vec![str_field("kind", "blocking")],
                    parents: vec![],
                    location: loc("src/blocking.rs", 3, 1),
                },
            ],
            stats_update: HashMap::from([(TASK_ID, task_stats(9)), (BLOCKING_TASK_ID, task_stats(1))]),
            dropped_events: BIG + 3,
        }),
        resource_update: Some(resources::ResourceUpdate {
            new_resources: vec![
                resources::Resource {
                    id: id(RESOURCE_ID),
                    metadata: meta(BIG + 1),
                    concrete_type: "Sleep".into(),
                    kind: Some(resources::resource::Kind { kind: Some(Kind::Known(Known::Timer as i32)) }),
                    location: loc("src/timer.rs", 8, 13),
                    parent_resource_id: id(CHILD_RESOURCE_ID),
                    is_internal: true,
                },
                resources::Resource {
                    id: id(CHILD_RESOURCE_ID),
                    metadata: meta(BIG + 1),
                    concrete_type: "Mutex".into(),
                    kind: Some(resources::resource::Kind { kind: Some(Kind::Other("Sync".into())) }),
                    location: loc("src/lock.rs", 20, 2),
                    parent_resource_id: None,
                    is_internal: false,
                },
            ],
            stats_update: HashMap::from([(
                RESOURCE_ID,
                resources::Stats {
                    created_at: ts(1_700_000_001, 0),
                    dropped_at: ts(1_700_000_002, 0),
                    attributes: vec![
                        attribute("duration", common::field::Value::U64Val(101), Some("ms")),
                        attribute("locked", common::field::Value::BoolVal(true), None),
                    ],
                },
            )]),
            new_poll_ops: vec![resources::PollOp {
                metadata: meta(BIG + 4),
                resource_id: id(RESOURCE_ID),
                name: "poll_elapsed".into(),
                task_id: id(TASK_ID),
                async_op_id: id(ASYNC_OP_ID),
                is_ready: true,
            }],
            dropped_events: 4,
        }),
        async_op_update: Some(async_ops::AsyncOpUpdate {
            new_async_ops: vec![async_ops::AsyncOp {
                id: id(ASYNC_OP_ID),
                metadata: meta(BIG + 2),
                source: "Sleep::new_timeout".into(),
                parent_async_op_id: id(PARENT_ASYNC_OP_ID),
                resource_id: id(RESOURCE_ID),
            }],
            stats_update: HashMap::from([(
                ASYNC_OP_ID,
                async_ops::Stats {
                    created_at: ts(1_700_000_003, 3_000),
                    dropped_at: ts(1_700_000_004, 0),
                    task_id: id(TASK_ID),
                    poll_stats: full_poll_stats(),
                    attributes: vec![attribute("permits_requested", common::field::Value::I64Val(-3), Some("permits"))],
                },
            )]),
            dropped_events: 5,
        }),
        new_metadata: Some(all_metadata()),
    };
    // A later delta: only changed stats, as a subscriber sends after the snapshot.
    let delta = instrument::Update {
        now: ts(1_700_000_031, 0),
        task_update: Some(tasks::TaskUpdate {
            new_tasks: vec![],
            stats_update: HashMap::from([(TASK_ID, task_stats(10))]),
            dropped_events: 0,
        }),
        resource_update: None,
        async_op_update: None,
        new_metadata: None,
    };
    vec![first, delta]
}

/// A histogram configured as console-subscriber configures its own.
pub fn poll_histogram() -> Histogram<u64> {
    let mut h = Histogram::<u64>::new_with_max(1_000_000_000, 2).unwrap();
    for v in [1_000u64, 2_500, 10_000, 10_000, 123_456, 9_999_999, 250_000_000] {
        h.record(v).unwrap();
    }
    h
}

pub fn serialize(h: &Histogram<u64>) -> Vec<u8> {
    let mut out = Vec::new();
    V2Serializer::new().serialize(h, &mut out).unwrap();
    out
}

pub fn task_details() -> Vec<tasks::TaskDetails> {
    use tasks::task_details::PollTimesHistogram;
    let poll = poll_histogram();
    let mut sched = Histogram::<u64>::new_with_max(1_000_000_000, 2).unwrap();
    sched.record(77).unwrap();
    let histogram = |h: &Histogram<u64>, outliers: u64| tasks::DurationHistogram {
        raw_histogram: serialize(h),
        max_value: h.max(),
        high_outliers: outliers,
        highest_outlier: Some(2_000_000_000),
    };
    vec![
        tasks::TaskDetails {
            task_id: id(TASK_ID),
            now: ts(1_700_000_030, 1),
            poll_times_histogram: Some(PollTimesHistogram::Histogram(histogram(&poll, 1))),
            scheduled_times_histogram: Some(histogram(&sched, 0)),
        },
        tasks::TaskDetails {
            task_id: id(TASK_ID),
            now: ts(1_700_000_031, 0),
            poll_times_histogram: Some(PollTimesHistogram::LegacyHistogram(serialize(&poll))),
            scheduled_times_histogram: Some(histogram(&sched, 3)),
        },
    ]
}

pub fn states() -> Vec<instrument::State> {
    vec![
        instrument::State { temporality: instrument::Temporality::Live as i32 },
        instrument::State { temporality: instrument::Temporality::Paused as i32 },
    ]
}

pub fn trace_events() -> Vec<trace::TraceEvent> {
    use trace::trace_event::{Close, Enter, Event, Exit, RegisterThreads};
    let span_id = || Some(common::SpanId { id: BIG + 50 });
    vec![
        Event::RegisterThread(RegisterThreads { names: HashMap::from([(1, "main".into()), (BIG, "worker-1".into())]) }),
        Event::RegisterMetadata(all_metadata()),
        Event::NewSpan(common::Span {
            id: span_id(),
            metadata_id: meta(BIG),
            fields: every_field_arm(),
            at: ts(1_700_000_000, 1_000_000),
        }),
        Event::EnterSpan(Enter { span_id: span_id(), thread_id: BIG, at: ts(1_700_000_001, 0) }),
        Event::ExitSpan(Exit { span_id: span_id(), thread_id: BIG, at: ts(1_700_000_002, 0) }),
        Event::CloseSpan(Close { span_id: span_id(), at: ts(1_700_000_003, 0) }),
    ]
    .into_iter()
    .map(|e| trace::TraceEvent { event: Some(e) })
    .collect()
}
