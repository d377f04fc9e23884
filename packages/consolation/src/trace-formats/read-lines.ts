/**
 * Streams a file (or stdin) as lines with 1-based numbers, in constant memory:
 * one chunk and one partial line at a time. Reports whether the input ended
 * without a newline, which for an append-only log means the writer died
 * mid-line.
 */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { CliError } from "../cli/cli-error.js";

export interface LineStats {
  readonly lines: number;
  readonly bytes: number;
}

export type OnLine = (text: string, lineNumber: number, terminated: boolean) => void;

/** Longest line kept; beyond this the line is cut so one runaway line cannot exhaust memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export async function readLines(path: string, onLine: OnLine): Promise<LineStats> {
  const stream = path === "-" ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let lineNumber = 0;
  let bytes = 0;
  const take = (text: string) => {
    lineNumber++;
    onLine(text.endsWith("\r") ? text.slice(0, -1) : text, lineNumber, true);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const text = partial + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      partial = text.slice(start);
      if (partial.length > MAX_LINE_CHARS) partial = partial.slice(0, MAX_LINE_CHARS);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError(`no such file: ${path}`);
    if (code === "EISDIR") throw new CliError(`${path} is a directory`);
    if (code === "EACCES") throw new CliError(`cannot read ${path}: permission denied`);
    throw error;
  }
  partial += decoder.end();
  if (partial.length > 0) {
    lineNumber++;
    onLine(partial, lineNumber, false);
  }
  return { lines: lineNumber, bytes };
}
