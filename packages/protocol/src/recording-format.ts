/**
 * insight's recording format, version 1 (docs/recording-format.md): JSON
 * Lines, append-only. The first line is a header; every later line is one
 * message as received, in protobuf canonical JSON, with its receive time.
 *
 *   {"format":"insight-recording","version":1,"createdAt":"…","target":"…"}
 *   {"t":"1732312345123456789","update":{…Update…}}
 *   {"t":"…","state":{"temporality":"PAUSED"}}
 *   {"t":"…","restart":{}}      the next message is the first of a new process
 *
 * `t` is nanoseconds since the epoch as a decimal string (exact past 2^53).
 * Readers skip line kinds they do not know, so later versions can add kinds
 * without breaking older readers; a change that would mislead them bumps
 * `version`.
 */
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { StateSchema, UpdateSchema, type State, type Update } from "./gen/console/instrument_pb.js";

export const RECORDING_FORMAT = "insight-recording";
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: number;
  readonly createdAt: string;
  readonly target?: string;
  readonly producer?: string;
}

export type RecordedMessage =
  | { readonly kind: "update"; readonly atNs: bigint; readonly update: Update }
  | { readonly kind: "state"; readonly atNs: bigint; readonly state: State }
  /** The target restarted (a reconnect landed on a new process): what follows is a separate process. */
  | { readonly kind: "restart"; readonly atNs: bigint };

export function headerLine(target: string | undefined, producer: string, now = new Date()): string {
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAt: now.toISOString(),
    ...(target ? { target } : {}),
    producer,
  };
  return `${JSON.stringify(header)}\n`;
}

export function updateLine(update: Update, atNs: bigint): string {
  return `${JSON.stringify({ t: atNs.toString(), update: toJson(UpdateSchema, update) })}\n`;
}

export function stateLine(state: State, atNs: bigint): string {
  return `${JSON.stringify({ t: atNs.toString(), state: toJson(StateSchema, state) })}\n`;
}

/** Marks a restart: readers start a fresh state here (docs/recording-format.md). */
export function restartLine(atNs: bigint): string {
  return `${JSON.stringify({ t: atNs.toString(), restart: {} })}\n`;
}

export type DecodedLine =
  | { readonly header: RecordingHeader }
  | { readonly message: RecordedMessage }
  | { readonly skipped: string }
  | { readonly error: string };

/** Decodes one line of a recording; never throws. */
export function decodeRecordingLine(text: string, isFirst: boolean): DecodedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "expected a JSON object" };
  const record = value as Record<string, unknown>;
  if (record["format"] === RECORDING_FORMAT) {
    if (!isFirst) return { error: "header line in the middle of a recording" };
    if (typeof record["version"] !== "number") return { error: "header without a version" };
    if (record["version"] > RECORDING_VERSION)
      return { error: `recording version ${record["version"]} is newer than this consolation reads (${RECORDING_VERSION})` };
    return { header: record as unknown as RecordingHeader };
  }
  const t = record["t"];
  if (typeof t !== "string" || !/^\d+$/.test(t)) return { error: 'missing receive time "t"' };
  const atNs = BigInt(t);
  try {
    if ("update" in record)
      return { message: { kind: "update", atNs, update: fromJson(UpdateSchema, record["update"] as JsonValue, { ignoreUnknownFields: true }) } };
    if ("state" in record)
      return { message: { kind: "state", atNs, state: fromJson(StateSchema, record["state"] as JsonValue, { ignoreUnknownFields: true }) } };
    if ("restart" in record) return { message: { kind: "restart", atNs } };
  } catch (error) {
    return { error: `bad message: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
  return {
    skipped: Object.keys(record)
      .filter((k) => k !== "t")
      .join(","),
  };
}
