/**
 * Running the second story's service (examples/node/orders-service) the way
 * its README does: `node --import async-insight/register <file>` with nothing
 * of insight in its code, on a real PostgreSQL, and sending it orders.
 *
 * `--import async-insight/register` resolves to the built library (dist), so
 * run `npx tsc -b` first, as for every CLI e2e suite.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";

export const SERVICE_DIR = fileURLToPath(new URL("../../examples/node/orders-service/", import.meta.url));

export type ServiceFile = "server.mjs" | "server-fixed.mjs";

export interface RunningService {
  readonly peer: Peer;
  readonly httpPort: number;
  readonly consolePort: number;
}

/** Starts the service on `databaseUrl`; resolves once its HTTP server and insight's console both listen. */
export async function startOrdersService(file: ServiceFile, databaseUrl: string): Promise<RunningService> {
  const consolePort = await freePort();
  const peer = startPeer(process.execPath, ["--import", "async-insight/register", `${SERVICE_DIR}${file}`], {
    DATABASE_URL: databaseUrl,
    PORT: "0",
    INSIGHT_BIND: `127.0.0.1:${consolePort}`,
    INSIGHT_PORT: "",
    TOKIO_CONSOLE_BIND: "",
  });
  try {
    const [, httpPort] = await peer.waitForOutput(/http listening on port (\d+)/);
    await peer.waitForPort(consolePort);
    return { peer, httpPort: Number(httpPort), consolePort };
  } catch (error) {
    await peer.stop();
    throw error;
  }
}

/** An HTTP status, or "no answer" when `timeoutMs` passed first (the request is then abandoned, as a client with a timeout does). */
export type Outcome = number | "no answer";

export function request(port: number, method: "GET" | "POST", path: string, timeoutMs: number, body?: unknown): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path, timeout: timeoutMs, headers: body === undefined ? {} : { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.once("timeout", () => {
      req.destroy();
      resolve("no answer");
    });
    // After a timeout the promise has settled already; the destroyed request's error changes nothing.
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export const ORDER = { customer: "ada", items: [{ sku: "mug", quantity: 1 }] };

export function postOrders(port: number, concurrent: number, timeoutMs: number): Promise<Outcome[]> {
  return Promise.all(Array.from({ length: concurrent }, () => request(port, "POST", "/orders", timeoutMs, ORDER)));
}

/**
 * Load as a client sends it: rounds of `concurrent` orders at once, each
 * given up after `timeoutMs`, until one goes unanswered or `rounds` are
 * done. Whether a given round deadlocks the broken service depends on how
 * the requests interleave, so the test does not pin it to the first round.
 */
export async function loadUntilUnanswered(port: number, { concurrent = 8, timeoutMs = 2_000, rounds = 5 } = {}): Promise<Outcome[][]> {
  const seen: Outcome[][] = [];
  for (let i = 0; i < rounds; i++) {
    const outcomes = await postOrders(port, concurrent, timeoutMs);
    seen.push(outcomes);
    if (outcomes.includes("no answer")) break;
  }
  return seen;
}

/** The 1-based line of the only line of `file` (in the service's folder) containing `text`. */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(`${SERVICE_DIR}${file}`, "utf8").split("\n");
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line with ${text} in ${file}, found ${found.length}`);
  return found[0]!;
}
