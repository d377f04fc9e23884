//! Renders console-api messages as proto3 canonical JSON.
//!
//! The TypeScript side decodes the same bytes with protobuf-es and renders them
//! with its own `toJson`. Two independent decoders agreeing on one canonical
//! form is the point: a field read with the wrong number or type shows up as a
//! difference instead of surviving a round trip through a single codec.
//!
//! Canonical rules followed here: 64-bit integers are strings, enums are value
//! names, bytes are padded base64, implicit-presence fields at their default are
//! left out, fields with explicit presence (messages, `optional`, oneof arms)
//! are kept whenever set, and map keys are decimal strings.

use console_api as common;
use console_api::{async_ops, instrument, resources, tasks, trace};
use serde_json::{Map, Value};

type Obj = Map<String, Value>;

fn u64s(v: u64) -> Value {
    Value::String(v.to_string())
}

fn put_u64(o: &mut Obj, k: &str, v: u64) {
    if v != 0 {
        o.insert(k.into(), u64s(v));
    }
}

fn put_str(o: &mut Obj, k: &str, v: &str) {
    if !v.is_empty() {
        o.insert(k.into(), Value::String(v.into()));
    }
}

fn put_bool(o: &mut Obj, k: &str, v: bool) {
    if v {
        o.insert(k.into(), Value::Bool(true));
    }
}

fn put_msg<T>(o: &mut Obj, k: &str, v: &Option<T>, f: impl Fn(&T) -> Value) {
    if let Some(v) = v {
        o.insert(k.into(), f(v));
    }
}

fn put_list<T>(o: &mut Obj, k: &str, v: &[T], f: impl Fn(&T) -> Value) {
    if !v.is_empty() {
        o.insert(k.into(), Value::Array(v.iter().map(f).collect()));
    }
}

fn put_map<T>(o: &mut Obj, k: &str, v: &std::collections::HashMap<u64, T>, f: impl Fn(&T) -> Value) {
    if !v.is_empty() {
        let mut m = Obj::new();
        for (key, val) in v {
            m.insert(key.to_string(), f(val));
        }
        o.insert(k.into(), Value::Object(m));
    }
}

fn put_enum(o: &mut Obj, k: &str, v: i32, name: Option<&str>) {
    if v != 0 {
        o.insert(k.into(), enum_value(v, name));
    }
}

fn enum_value(v: i32, name: Option<&str>) -> Value {
    match name {
        Some(n) => Value::String(n.into()),
        None => Value::from(v),
    }
}

pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity((bytes.len() + 2) / 3 * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Nanoseconds printed with 0, 3, 6 or 9 fractional digits, as proto3 JSON asks.
fn fraction(nanos: i32) -> String {
    if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{:09}", nanos)
    }
}

pub fn timestamp(t: &prost_types::Timestamp) -> Value {
    // Civil-from-days (proleptic Gregorian), valid for the years we emit.
    let days = t.seconds.div_euclid(86_400);
    let secs = t.seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Value::String(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}Z",
        year,
        month,
        day,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        fraction(t.nanos)
    ))
}

pub fn duration(d: &prost_types::Duration) -> Value {
    let neg = d.seconds < 0 || d.nanos < 0;
    let sign = if neg { "-" } else { "" };
    Value::String(format!("{}{}{}s", sign, d.seconds.abs(), fraction(d.nanos.abs())))
}

pub fn id(v: &common::Id) -> Value {
    let mut o = Obj::new();
    put_u64(&mut o, "id", v.id);
    Value::Object(o)
}

pub fn meta_id(v: &common::MetaId) -> Value {
    let mut o = Obj::new();
    put_u64(&mut o, "id", v.id);
    Value::Object(o)
}

pub fn span_id(v: &common::SpanId) -> Value {
    let mut o = Obj::new();
    put_u64(&mut o, "id", v.id);
    Value::Object(o)
}

pub fn location(v: &common::Location) -> Value {
    let mut o = Obj::new();
    if let Some(f) = &v.file {
        o.insert("file".into(), Value::String(f.clone()));
    }
    if let Some(m) = &v.module_path {
        o.insert("modulePath".into(), Value::String(m.clone()));
    }
    if let Some(l) = v.line {
        o.insert("line".into(), Value::from(l));
    }
    if let Some(c) = v.column {
        o.insert("column".into(), Value::from(c));
    }
    Value::Object(o)
}

pub fn field(v: &common::Field) -> Value {
    use common::field::{Name, Value as FV};
    let mut o = Obj::new();
    match &v.name {
        Some(Name::StrName(s)) => {
            o.insert("strName".into(), Value::String(s.clone()));
        }
        Some(Name::NameIdx(i)) => {
            o.insert("nameIdx".into(), u64s(*i));
        }
        None => {}
    }
    match &v.value {
        Some(FV::DebugVal(s)) => {
            o.insert("debugVal".into(), Value::String(s.clone()));
        }
        Some(FV::StrVal(s)) => {
            o.insert("strVal".into(), Value::String(s.clone()));
        }
        Some(FV::U64Val(n)) => {
            o.insert("u64Val".into(), u64s(*n));
        }
        Some(FV::I64Val(n)) => {
            o.insert("i64Val".into(), Value::String(n.to_string()));
        }
        Some(FV::BoolVal(b)) => {
            o.insert("boolVal".into(), Value::Bool(*b));
        }
        None => {}
    }
    put_msg(&mut o, "metadataId", &v.metadata_id, meta_id);
    Value::Object(o)
}

pub fn span(v: &common::Span) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "id", &v.id, span_id);
    put_msg(&mut o, "metadataId", &v.metadata_id, meta_id);
    put_list(&mut o, "fields", &v.fields, field);
    put_msg(&mut o, "at", &v.at, timestamp);
    Value::Object(o)
}

pub fn metadata(v: &common::Metadata) -> Value {
    let mut o = Obj::new();
    put_str(&mut o, "name", &v.name);
    put_str(&mut o, "target", &v.target);
    put_str(&mut o, "modulePath", &v.module_path);
    put_msg(&mut o, "location", &v.location, location);
    let kind = common::metadata::Kind::try_from(v.kind).ok().map(|k| k.as_str_name());
    put_enum(&mut o, "kind", v.kind, kind);
    let level = common::metadata::Level::try_from(v.level).ok().map(|k| k.as_str_name());
    put_enum(&mut o, "level", v.level, level);
    if !v.field_names.is_empty() {
        o.insert("fieldNames".into(), Value::from(v.field_names.clone()));
    }
    Value::Object(o)
}

pub fn register_metadata(v: &common::RegisterMetadata) -> Value {
    let mut o = Obj::new();
    put_list(&mut o, "metadata", &v.metadata, |m| {
        let mut n = Obj::new();
        put_msg(&mut n, "id", &m.id, meta_id);
        put_msg(&mut n, "metadata", &m.metadata, metadata);
        Value::Object(n)
    });
    Value::Object(o)
}

pub fn poll_stats(v: &common::PollStats) -> Value {
    let mut o = Obj::new();
    put_u64(&mut o, "polls", v.polls);
    put_msg(&mut o, "firstPoll", &v.first_poll, timestamp);
    put_msg(&mut o, "lastPollStarted", &v.last_poll_started, timestamp);
    put_msg(&mut o, "lastPollEnded", &v.last_poll_ended, timestamp);
    put_msg(&mut o, "busyTime", &v.busy_time, duration);
    Value::Object(o)
}

pub fn attribute(v: &common::Attribute) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "field", &v.field, field);
    if let Some(u) = &v.unit {
        o.insert("unit".into(), Value::String(u.clone()));
    }
    Value::Object(o)
}

pub fn task(v: &tasks::Task) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "id", &v.id, id);
    put_msg(&mut o, "metadata", &v.metadata, meta_id);
    let kind = tasks::task::Kind::try_from(v.kind).ok().map(|k| k.as_str_name());
    put_enum(&mut o, "kind", v.kind, kind);
    put_list(&mut o, "fields", &v.fields, field);
    put_list(&mut o, "parents", &v.parents, span_id);
    put_msg(&mut o, "location", &v.location, location);
    Value::Object(o)
}

pub fn task_stats(v: &tasks::Stats) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "createdAt", &v.created_at, timestamp);
    put_msg(&mut o, "droppedAt", &v.dropped_at, timestamp);
    put_u64(&mut o, "wakes", v.wakes);
    put_u64(&mut o, "wakerClones", v.waker_clones);
    put_u64(&mut o, "wakerDrops", v.waker_drops);
    put_msg(&mut o, "lastWake", &v.last_wake, timestamp);
    put_msg(&mut o, "pollStats", &v.poll_stats, poll_stats);
    put_u64(&mut o, "selfWakes", v.self_wakes);
    put_msg(&mut o, "scheduledTime", &v.scheduled_time, duration);
    Value::Object(o)
}

pub fn task_update(v: &tasks::TaskUpdate) -> Value {
    let mut o = Obj::new();
    put_list(&mut o, "newTasks", &v.new_tasks, task);
    put_map(&mut o, "statsUpdate", &v.stats_update, task_stats);
    put_u64(&mut o, "droppedEvents", v.dropped_events);
    Value::Object(o)
}

pub fn duration_histogram(v: &tasks::DurationHistogram) -> Value {
    let mut o = Obj::new();
    if !v.raw_histogram.is_empty() {
        o.insert("rawHistogram".into(), Value::String(base64(&v.raw_histogram)));
    }
    put_u64(&mut o, "maxValue", v.max_value);
    put_u64(&mut o, "highOutliers", v.high_outliers);
    if let Some(h) = v.highest_outlier {
        o.insert("highestOutlier".into(), u64s(h));
    }
    Value::Object(o)
}

pub fn task_details(v: &tasks::TaskDetails) -> Value {
    use tasks::task_details::PollTimesHistogram;
    let mut o = Obj::new();
    put_msg(&mut o, "taskId", &v.task_id, id);
    put_msg(&mut o, "now", &v.now, timestamp);
    match &v.poll_times_histogram {
        Some(PollTimesHistogram::LegacyHistogram(b)) => {
            o.insert("legacyHistogram".into(), Value::String(base64(b)));
        }
        Some(PollTimesHistogram::Histogram(h)) => {
            o.insert("histogram".into(), duration_histogram(h));
        }
        None => {}
    }
    put_msg(&mut o, "scheduledTimesHistogram", &v.scheduled_times_histogram, duration_histogram);
    Value::Object(o)
}

pub fn resource(v: &resources::Resource) -> Value {
    use resources::resource::kind::{Kind, Known};
    let mut o = Obj::new();
    put_msg(&mut o, "id", &v.id, id);
    put_msg(&mut o, "metadata", &v.metadata, meta_id);
    put_str(&mut o, "concreteType", &v.concrete_type);
    put_msg(&mut o, "kind", &v.kind, |k| {
        let mut n = Obj::new();
        match &k.kind {
            Some(Kind::Known(x)) => {
                let name = Known::try_from(*x).ok().map(|e| e.as_str_name());
                n.insert("known".into(), enum_value(*x, name));
            }
            Some(Kind::Other(s)) => {
                n.insert("other".into(), Value::String(s.clone()));
            }
            None => {}
        }
        Value::Object(n)
    });
    put_msg(&mut o, "location", &v.location, location);
    put_msg(&mut o, "parentResourceId", &v.parent_resource_id, id);
    put_bool(&mut o, "isInternal", v.is_internal);
    Value::Object(o)
}

pub fn resource_stats(v: &resources::Stats) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "createdAt", &v.created_at, timestamp);
    put_msg(&mut o, "droppedAt", &v.dropped_at, timestamp);
    put_list(&mut o, "attributes", &v.attributes, attribute);
    Value::Object(o)
}

pub fn poll_op(v: &resources::PollOp) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "metadata", &v.metadata, meta_id);
    put_msg(&mut o, "resourceId", &v.resource_id, id);
    put_str(&mut o, "name", &v.name);
    put_msg(&mut o, "taskId", &v.task_id, id);
    put_msg(&mut o, "asyncOpId", &v.async_op_id, id);
    put_bool(&mut o, "isReady", v.is_ready);
    Value::Object(o)
}

pub fn resource_update(v: &resources::ResourceUpdate) -> Value {
    let mut o = Obj::new();
    put_list(&mut o, "newResources", &v.new_resources, resource);
    put_map(&mut o, "statsUpdate", &v.stats_update, resource_stats);
    put_list(&mut o, "newPollOps", &v.new_poll_ops, poll_op);
    put_u64(&mut o, "droppedEvents", v.dropped_events);
    Value::Object(o)
}

pub fn async_op(v: &async_ops::AsyncOp) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "id", &v.id, id);
    put_msg(&mut o, "metadata", &v.metadata, meta_id);
    put_str(&mut o, "source", &v.source);
    put_msg(&mut o, "parentAsyncOpId", &v.parent_async_op_id, id);
    put_msg(&mut o, "resourceId", &v.resource_id, id);
    Value::Object(o)
}

pub fn async_op_stats(v: &async_ops::Stats) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "createdAt", &v.created_at, timestamp);
    put_msg(&mut o, "droppedAt", &v.dropped_at, timestamp);
    put_msg(&mut o, "taskId", &v.task_id, id);
    put_msg(&mut o, "pollStats", &v.poll_stats, poll_stats);
    put_list(&mut o, "attributes", &v.attributes, attribute);
    Value::Object(o)
}

pub fn async_op_update(v: &async_ops::AsyncOpUpdate) -> Value {
    let mut o = Obj::new();
    put_list(&mut o, "newAsyncOps", &v.new_async_ops, async_op);
    put_map(&mut o, "statsUpdate", &v.stats_update, async_op_stats);
    put_u64(&mut o, "droppedEvents", v.dropped_events);
    Value::Object(o)
}

pub fn update(v: &instrument::Update) -> Value {
    let mut o = Obj::new();
    put_msg(&mut o, "now", &v.now, timestamp);
    put_msg(&mut o, "taskUpdate", &v.task_update, task_update);
    put_msg(&mut o, "resourceUpdate", &v.resource_update, resource_update);
    put_msg(&mut o, "asyncOpUpdate", &v.async_op_update, async_op_update);
    put_msg(&mut o, "newMetadata", &v.new_metadata, register_metadata);
    Value::Object(o)
}

pub fn state(v: &instrument::State) -> Value {
    let mut o = Obj::new();
    let name = instrument::Temporality::try_from(v.temporality).ok().map(|t| t.as_str_name());
    put_enum(&mut o, "temporality", v.temporality, name);
    Value::Object(o)
}

pub fn trace_event(v: &trace::TraceEvent) -> Value {
    use trace::trace_event::Event;
    let mut o = Obj::new();
    match &v.event {
        Some(Event::RegisterThread(r)) => {
            let mut n = Obj::new();
            let mut names = Obj::new();
            for (k, name) in &r.names {
                names.insert(k.to_string(), Value::String(name.clone()));
            }
            if !names.is_empty() {
                n.insert("names".into(), Value::Object(names));
            }
            o.insert("registerThread".into(), Value::Object(n));
        }
        Some(Event::RegisterMetadata(r)) => {
            o.insert("registerMetadata".into(), register_metadata(r));
        }
        Some(Event::NewSpan(s)) => {
            o.insert("newSpan".into(), span(s));
        }
        Some(Event::EnterSpan(e)) => {
            let mut n = Obj::new();
            put_msg(&mut n, "spanId", &e.span_id, span_id);
            put_u64(&mut n, "threadId", e.thread_id);
            put_msg(&mut n, "at", &e.at, timestamp);
            o.insert("enterSpan".into(), Value::Object(n));
        }
        Some(Event::ExitSpan(e)) => {
            let mut n = Obj::new();
            put_msg(&mut n, "spanId", &e.span_id, span_id);
            put_u64(&mut n, "threadId", e.thread_id);
            put_msg(&mut n, "at", &e.at, timestamp);
            o.insert("exitSpan".into(), Value::Object(n));
        }
        Some(Event::CloseSpan(c)) => {
            let mut n = Obj::new();
            put_msg(&mut n, "spanId", &c.span_id, span_id);
            put_msg(&mut n, "at", &c.at, timestamp);
            o.insert("closeSpan".into(), Value::Object(n));
        }
        None => {}
    }
    Value::Object(o)
}
