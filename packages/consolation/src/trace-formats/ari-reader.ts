/**
 * ari-subscriber text. Each record is `<timestamp> <LEVEL> <scope><tail>`,
 * where the scope lists spans root first as `name[span id]{k=v, …}` and the
 * tail is either a span phase (new/enter/exit/close) or `target: fields message`.
 *
 * The multi-line form puts the timestamp and level on one line and each scope
 * span, and the event itself, on indented lines below; records are joined back
 * into the one-line form before parsing, so both forms share one grammar.
 */
import { classifyRecord, spanPhaseOf } from "./classify-record.js";
import { stripAnsi } from "../format/strip-ansi.js";
import { parseFieldList } from "./field-text.js";
import type { LineParser, ReadSink } from "./line-parser.js";
import { spanKindOf, type ScopeSpan } from "./runtime-event.js";
import { parseTimestampNs } from "./timestamp.js";

const HEADER = /^(\d{4}-\d{2}-\d{2}T\S+)\s+(TRACE|DEBUG|INFO|WARN|ERROR)(?:\s+|$)/;
const SCOPE_SPAN = /([^\s[\]{}]+)\[(\d+)\]\{/y;
/** A record spread over more lines than this is not ari output; keeps memory bounded. */
const MAX_CONTINUATION_LINES = 256;

export function createAriParser(sink: ReadSink): LineParser {
  let pending: { line: number; text: string; parts: number } | undefined;

  const flush = () => {
    if (!pending) return;
    const record = pending;
    pending = undefined;
    parseAriRecord(record.text, record.line, sink);
  };

  return {
    line(raw, lineNumber) {
      const text = stripAnsi(raw);
      if (text.trim() === "") return;
      if (HEADER.test(text)) {
        flush();
        pending = { line: lineNumber, text: text.trimEnd(), parts: 1 };
      } else if (/^\s/.test(text) && pending) {
        if (++pending.parts > MAX_CONTINUATION_LINES) {
          sink.problem({ line: pending.line, message: `record continues for more than ${MAX_CONTINUATION_LINES} lines; skipped` });
          pending = undefined;
          return;
        }
        pending.text += ` ${text.trim()}`;
      } else {
        flush();
        sink.problem({ line: lineNumber, message: "not an ari-subscriber record (expected a timestamp and level)" });
      }
    },
    end: flush,
  };
}

/** Parses one joined record; exported for tests of the one-line grammar. */
export function parseAriRecord(text: string, line: number, sink: ReadSink): void {
  const header = HEADER.exec(text);
  if (!header) {
    sink.problem({ line, message: "not an ari-subscriber record (expected a timestamp and level)" });
    return;
  }
  const atNs = parseTimestampNs(header[1]!);
  if (atNs === undefined) {
    sink.problem({ line, message: `bad timestamp ${header[1]}` });
    return;
  }
  const scope: ScopeSpan[] = [];
  let i = header[0].length;
  for (;;) {
    SCOPE_SPAN.lastIndex = i;
    const m = SCOPE_SPAN.exec(text);
    if (!m) break;
    const parsed = parseFieldList(text, SCOPE_SPAN.lastIndex, ", ", "}");
    if (text[parsed.end] !== "}") {
      sink.problem({ line, message: `unclosed fields of span ${m[1]}[${m[2]}]` });
      return;
    }
    scope.push({ id: m[2]!, name: m[1]!, kind: spanKindOf(m[1]!), fields: parsed.fields });
    i = parsed.end + 1;
    while (text[i] === " ") i++;
  }
  const tail = text.slice(i).trim();
  const phase = spanPhaseOf(tail);
  if (phase) {
    const span = scope[scope.length - 1];
    if (!span) {
      sink.problem({ line, message: `span ${phase} without a span` });
      return;
    }
    sink.event({ type: "span", phase, span, scope, line, atNs });
    return;
  }
  const colon = tail.indexOf(": ");
  const target = colon >= 0 ? tail.slice(0, colon) : tail.endsWith(":") ? tail.slice(0, -1) : "";
  if (!target || /\s/.test(target)) {
    sink.problem({ line, message: "event without a target" });
    return;
  }
  const body = colon >= 0 ? tail.slice(colon + 2) : "";
  const parsed = parseFieldList(body, 0, ", ");
  const message = body.slice(parsed.end).trim();
  const event = classifyRecord({ line, atNs, level: header[2]!, target, scope, fields: parsed.fields, message });
  if ("problem" in event) sink.problem({ line, message: event.problem });
  else sink.event(event);
}
