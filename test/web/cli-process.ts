/** Starts `consolation web` as a user would and reads the URL it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import { CONSOLATION_BIN } from "../cli/run-cli.js";
import { ensureWebBuilt } from "./browser.js";

export function startWebCli(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  ensureWebBuilt();
  const child = spawn(process.execPath, [CONSOLATION_BIN, "web", ...args, "--listen-port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once("exit", (code) => reject(new Error(`consolation web exited with ${code}: ${err}`)));
  });
}
