/**
 * console-subscriber's recording (`TOKIO_CONSOLE_RECORD_PATH`): a `{"v":1}`
 * header, then one externally tagged event per line (Spawn, Enter, Exit,
 * Close, Waker). Spawn is only recorded for tasks, so Enter/Exit/Close of an
 * id never spawned belong to resources or async ops and come out as spans of
 * kind "other".
 *
 * The recording marks self-wakes itself but never says which thread or task
 * was running, so other wakes cannot be split into "from task X" and "from
 * outside the runtime" with certainty (see the wake analysis).
 */
import type { LineParser, ReadSink } from "./line-parser.js";
import type { FieldMap, ScopeSpan, WakerOp } from "./runtime-event.js";

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function atOf(value: unknown): bigint | undefined {
  if (!isObject(value)) return undefined;
  const secs = value["secs_since_epoch"];
  const nanos = value["nanos_since_epoch"];
  // 1e400 parses as Infinity and 1.5 is no count of nanoseconds: only whole, non-negative numbers are times.
  if (!Number.isSafeInteger(secs) || !Number.isSafeInteger(nanos) || (secs as number) < 0 || (nanos as number) < 0) return undefined;
  return BigInt(secs as number) * 1_000_000_000n + BigInt(nanos as number);
}

const WAKER_OPS: Record<string, WakerOp> = { Wake: "wake", WakeByRef: "wake_by_ref", Clone: "clone", Drop: "drop" };

/** Parses a JSON line whose big integers must keep every digit (span ids are u64). */
export function parseJsonKeepingIds(text: string): unknown {
  // Quote integers of 16+ digits so JSON.parse cannot round them.
  return JSON.parse(/\d{16}/.test(text) ? text.replace(/(?<=[:,[]\s*)(\d{16,})(?=\s*[,}\]])/g, '"$1"') : text);
}

export function createConsoleRecordingParser(sink: ReadSink): LineParser {
  const tasks = new Map<string, ScopeSpan>();
  let sawHeader = false;

  const spanFor = (id: string): ScopeSpan => tasks.get(id) ?? { id, name: "span", kind: "other", fields: {} };

  return {
    line(text, line) {
      if (text.trim() === "") return;
      let record: unknown;
      try {
        record = parseJsonKeepingIds(text);
      } catch {
        sink.problem({ line, message: "not valid JSON" });
        return;
      }
      if (!isObject(record)) {
        sink.problem({ line, message: "expected a JSON object" });
        return;
      }
      if (!sawHeader && "v" in record) {
        sawHeader = true;
        if (record["v"] !== 1) sink.problem({ line, message: `recording format v${String(record["v"])} is newer than v1; reading it as v1` });
        return;
      }
      const [tag] = Object.keys(record);
      const body = tag ? record[tag] : undefined;
      if (!tag || !isObject(body) || (typeof body["id"] !== "number" && typeof body["id"] !== "string")) {
        sink.problem({ line, message: "expected one of Spawn, Enter, Exit, Close, Waker with an id" });
        return;
      }
      const id = String(body["id"]);
      const atNs = atOf(body["at"]);
      const base = { line, ...(atNs !== undefined ? { atNs } : {}) };
      switch (tag) {
        case "Spawn": {
          const fields: Record<string, string | number | boolean> = {};
          for (const f of Array.isArray(body["fields"]) ? body["fields"] : []) {
            if (isObject(f) && typeof f["name"] === "string") {
              const v = f["value"];
              fields[f["name"]] = typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v);
            }
          }
          const span: ScopeSpan = { id, name: "runtime.spawn", kind: "task", fields: fields as FieldMap };
          tasks.set(id, span);
          sink.event({ ...base, type: "span", phase: "new", span, scope: [span] });
          return;
        }
        case "Enter":
        case "Exit":
        case "Close": {
          const span = spanFor(id);
          const phase = tag === "Enter" ? "enter" : tag === "Exit" ? "exit" : "close";
          sink.event({ ...base, type: "span", phase, span, scope: [span] });
          if (phase === "close") tasks.delete(id);
          return;
        }
        case "Waker": {
          const op = body["op"];
          const name = typeof op === "string" ? op : isObject(op) ? Object.keys(op)[0] : undefined;
          const mapped = name ? WAKER_OPS[name] : undefined;
          if (!mapped) {
            sink.problem({ line, message: `unknown waker op ${JSON.stringify(op)}` });
            return;
          }
          const detail = isObject(op) && name ? op[name] : undefined;
          const selfWake = isObject(detail) && typeof detail["self_wake"] === "boolean" ? detail["self_wake"] : undefined;
          sink.event({ ...base, type: "waker", op: mapped, taskSpanId: id, scope: [], ...(selfWake !== undefined ? { selfWake } : {}) });
          return;
        }
        default:
          sink.problem({ line, message: `unknown record ${tag}` });
      }
    },
    end() {},
  };
}
