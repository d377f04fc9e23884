/**
 * tracing-subscriber's default ("full") text format, with span events
 * (`FmtSpan`):
 *
 *   <timestamp> <LEVEL> span{k=v k=v}:child{…}: <target>: <message> k=v …
 *
 * It prints no span ids, so spans are named by their fields (see
 * `syntheticSpanId`): task spans stay distinct through tokio's `task.id`, but
 * a waker event's `task.id` is a *span id* that no line names, so the woken
 * task cannot be joined, and resources with identical fields merge.
 */
import { classifyRecord, spanPhaseOf, syntheticSpanId } from "./classify-record.js";
import { stripAnsi } from "../format/strip-ansi.js";
import { parseFieldList, type TextValue } from "./field-text.js";
import type { LineParser, ReadSink } from "./line-parser.js";
import { spanKindOf, type ScopeSpan } from "./runtime-event.js";
import { parseTimestampNs } from "./timestamp.js";

const HEADER = /^(\d{4}-\d{2}-\d{2}T\S+)\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+/;
const SPAN_NAME = /[^\s{}:]+/y;
const FIELD_START = /(?:^| )[A-Za-z_][\w.]*=/g;

export function createFmtParser(sink: ReadSink): LineParser {
  return {
    line(raw, line) {
      const text = stripAnsi(raw).trimEnd();
      if (text === "") return;
      const header = HEADER.exec(text);
      const atNs = header ? parseTimestampNs(header[1]!) : undefined;
      if (!header || atNs === undefined) {
        sink.problem({ line, message: "not a tracing-subscriber fmt line (expected a timestamp and level)" });
        return;
      }
      const { scope, end } = parseScope(text, header[0].length);
      const rest = text.slice(end);
      const colon = rest.indexOf(": ");
      const target = colon >= 0 ? rest.slice(0, colon) : rest.replace(/:$/, "");
      const body = colon >= 0 ? rest.slice(colon + 2) : "";
      const { message, fields } = splitMessage(body);
      const phase = spanPhaseOf(message);
      const span = scope[scope.length - 1];
      if (phase && span) {
        sink.event({ type: "span", phase, span, scope, line, atNs });
        return;
      }
      const event = classifyRecord({ line, atNs, level: header[2]!, target, scope, fields, message });
      if ("problem" in event) sink.problem({ line, message: event.problem });
      else sink.event(event);
    },
    end() {},
  };
}

/**
 * Reads `name{fields}:` spans up to the `: ` that ends the scope. A span with
 * no fields looks like a target, so one is only taken as a span when more
 * spans follow it or its name is one of tokio's `runtime.*` span names.
 */
function parseScope(text: string, start: number): { scope: ScopeSpan[]; end: number } {
  const scope: ScopeSpan[] = [];
  let i = start;
  for (;;) {
    SPAN_NAME.lastIndex = i;
    const name = SPAN_NAME.exec(text);
    if (!name) break;
    let j = SPAN_NAME.lastIndex;
    let fields: Record<string, TextValue> = {};
    const braced = text[j] === "{";
    if (braced) {
      const parsed = parseFieldList(text, j + 1, " ", "}");
      if (text[parsed.end] !== "}") break;
      fields = parsed.fields;
      j = parsed.end + 1;
    }
    if (text[j] !== ":" || text[j + 1] === ":") break;
    const last = text[j + 1] === " ";
    if (!braced && last && !name[0].startsWith("runtime.")) break;
    scope.push({ id: syntheticSpanId(name[0], fields), name: name[0], kind: spanKindOf(name[0]), fields, synthetic: true });
    i = j + 1;
    if (last) {
      i++;
      break;
    }
  }
  return scope.length ? { scope, end: i } : { scope, end: start };
}

/** fmt prints the message first and the other fields after it; find where the fields start. */
function splitMessage(body: string): { message: string; fields: Record<string, TextValue> } {
  FIELD_START.lastIndex = 0;
  for (let m = FIELD_START.exec(body); m; m = FIELD_START.exec(body)) {
    const from = m.index === 0 && body[0] !== " " ? 0 : m.index + 1;
    const parsed = parseFieldList(body, from, " ");
    if (parsed.end === body.length) return { message: body.slice(0, from).trim(), fields: parsed.fields };
    FIELD_START.lastIndex = m.index + 1;
  }
  return { message: body.trim(), fields: {} };
}
