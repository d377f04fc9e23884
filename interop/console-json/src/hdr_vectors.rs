//! HdrHistogram V2 test vectors produced by the Rust `hdrhistogram` crate, the
//! same crate console-subscriber serializes with. Each vector carries the bytes
//! and the statistics the crate itself computes from them.

use crate::fixtures::serialize;
use crate::json::base64;
use hdrhistogram::Histogram;
use serde_json::{json, Value};

fn describe(name: &str, h: &Histogram<u64>) -> Value {
    let quantiles = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0];
    let recorded: Vec<Value> = h
        .iter_recorded()
        .map(|v| json!({ "value": v.value_iterated_to().to_string(), "count": v.count_at_value().to_string() }))
        .collect();
    json!({
        "name": name,
        "base64": base64(&serialize(h)),
        "lowestDiscernible": h.low().to_string(),
        "highestTrackable": h.high().to_string(),
        "significantFigures": h.sigfig(),
        "totalCount": h.len().to_string(),
        "min": h.min().to_string(),
        "max": h.max().to_string(),
        "mean": h.mean(),
        "quantiles": quantiles.iter().map(|q| json!({ "q": q, "value": h.value_at_quantile(*q).to_string() })).collect::<Vec<_>>(),
        "recorded": recorded,
    })
}

pub fn vectors() -> Value {
    let mut out = Vec::new();

    out.push(describe("subscriber-poll-times", &crate::fixtures::poll_histogram()));

    let empty = Histogram::<u64>::new_with_max(1_000_000_000, 2).unwrap();
    out.push(describe("empty", &empty));

    // A dense spread exercises long zero runs and many distinct buckets.
    let mut spread = Histogram::<u64>::new_with_max(1_000_000_000, 2).unwrap();
    let mut v: u64 = 1;
    while v < 900_000_000 {
        spread.record_n(v, v % 7 + 1).unwrap();
        v = v * 3 / 2 + 1;
    }
    out.push(describe("geometric-spread", &spread));

    // Three significant figures and a lowest value above 1 change the bucket
    // geometry (unit magnitude and sub-bucket count).
    let mut coarse = Histogram::<u64>::new_with_bounds(1_000, 100_000_000_000, 3).unwrap();
    for x in [1_000u64, 1_001, 55_555, 1_234_567, 99_999_999_999] {
        coarse.record(x).unwrap();
    }
    out.push(describe("bounds-1000-sigfig-3", &coarse));

    // Counts large enough to need multi-byte zig-zag varints.
    let mut heavy = Histogram::<u64>::new_with_max(1_000_000, 2).unwrap();
    heavy.record_n(500, 1 << 40).unwrap();
    heavy.record_n(999_000, 300).unwrap();
    out.push(describe("large-counts", &heavy));

    Value::Array(out)
}
