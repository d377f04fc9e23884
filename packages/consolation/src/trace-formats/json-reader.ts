/**
 * tracing-subscriber's JSON format (`.json()`), with span events. Like fmt it
 * carries no span ids (spans are named by their fields; see
 * `syntheticSpanId`), so woken tasks cannot be joined to their spans.
 *
 * For span events `span` is the span itself while `spans` is whatever the
 * emitting thread had entered, so only `span` is used for them.
 */
import { classifyRecord, spanPhaseOf, syntheticSpanId } from "./classify-record.js";
import type { LineParser, ReadSink } from "./line-parser.js";
import { spanKindOf, type FieldMap, type ScopeSpan } from "./runtime-event.js";
import { parseTimestampNs } from "./timestamp.js";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function toSpan(value: unknown): ScopeSpan | undefined {
  if (!isObject(value) || typeof value["name"] !== "string") return undefined;
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "name") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[k] = v;
    else fields[k] = JSON.stringify(v);
  }
  const name = value["name"];
  return { id: syntheticSpanId(name, fields), name, kind: spanKindOf(name), fields, synthetic: true };
}

export function createJsonParser(sink: ReadSink): LineParser {
  return {
    line(text, line) {
      if (text.trim() === "") return;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        sink.problem({ line, message: "not valid JSON" });
        return;
      }
      if (!isObject(record) || typeof record["timestamp"] !== "string") {
        sink.problem({ line, message: "not a tracing-subscriber JSON record (no timestamp)" });
        return;
      }
      const atNs = parseTimestampNs(record["timestamp"]);
      if (atNs === undefined) {
        sink.problem({ line, message: `bad timestamp ${record["timestamp"]}` });
        return;
      }
      // `flatten_event(true)` puts the fields at the top level.
      const rawFields = isObject(record["fields"]) ? record["fields"] : record;
      const fields: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(rawFields)) {
        if (rawFields === record && ["timestamp", "level", "target", "span", "spans", "filename", "line_number", "threadName", "threadId"].includes(k))
          continue;
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") fields[k] = v;
      }
      const message = typeof fields["message"] === "string" ? fields["message"] : "";
      delete fields["message"];
      const span = toSpan(record["span"]);
      const phase = spanPhaseOf(message);
      if (phase && span) {
        sink.event({ type: "span", phase, span, scope: [span], line, atNs });
        return;
      }
      const scope = Array.isArray(record["spans"]) ? record["spans"].map(toSpan).filter((s): s is ScopeSpan => !!s) : span ? [span] : [];
      const event = classifyRecord({
        line,
        atNs,
        level: String(record["level"] ?? ""),
        target: String(record["target"] ?? ""),
        scope,
        fields: fields as FieldMap,
        message,
      });
      if ("problem" in event) sink.problem({ line, message: event.problem });
      else sink.event(event);
    },
    end() {},
  };
}
