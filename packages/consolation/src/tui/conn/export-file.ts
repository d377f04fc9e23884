/** Writes a problem's graph (DOT or Mermaid) next to the user, never over an existing file. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

function stamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

export function writeExport(outDir: string, baseName: string, extension: "dot" | "mmd", text: string, now = new Date()): string {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  let path = join(dir, `${baseName}-${stamp(now)}.${extension}`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${baseName}-${stamp(now)}-${n}.${extension}`);
  writeFileSync(path, text.endsWith("\n") ? text : `${text}\n`);
  return path;
}
