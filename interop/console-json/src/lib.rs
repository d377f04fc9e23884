//! Shared by the interop peers: canonical JSON of console-api messages, the
//! fixed messages the fixture server sends, and HdrHistogram test vectors.

pub mod fixtures;
pub mod hdr_vectors;
pub mod json;
