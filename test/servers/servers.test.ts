/**
 * The real-server harness: each start gets its own port and directory, the
 * server really answers (a SQL query, a Redis round trip), and stop() leaves
 * neither a process nor a directory behind.
 */
import { existsSync, statSync } from "node:fs";
import { connect } from "node:net";
import pg from "pg";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startPostgres, startRedis } from "../support/servers.js";

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("real-server harness", () => {
  it("starts two PostgreSQL servers side by side, answers SQL as the insight superuser, and removes everything on stop", async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.dataDir).not.toBe(b.dataDir);
      expect(a.url).toBe(`postgres://insight@127.0.0.1:${a.port}/postgres`);
      const client = new pg.Client({ connectionString: a.url });
      await client.connect();
      const { rows } = await client.query<{ user: string; addr: string; port: number }>(
        "SELECT current_user AS user, host(inet_server_addr()) AS addr, inet_server_port() AS port",
      );
      await client.end();
      expect(rows).toEqual([{ user: "insight", addr: "127.0.0.1", port: a.port }]);
      if (process.getuid?.() === 0) {
        // postgres refuses root: the data directory belongs to the account it runs as.
        expect(statSync(a.dataDir).uid).not.toBe(0);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(alive(a.pid)).toBe(false);
    expect(existsSync(a.dataDir)).toBe(false);
    expect(existsSync(b.dataDir)).toBe(false);
    expect(await refused(a.port)).toBe(true);
  });

  it("starts redis-server, round-trips a command, and can bring it back on the same port after a stop", async () => {
    const first = await startRedis();
    const redis = new Redis({ host: first.host, port: first.port, lazyConnect: true, maxRetriesPerRequest: null });
    try {
      await redis.connect();
      await redis.set("k", "v1");
      expect(await redis.get("k")).toBe("v1");
      await first.stop();
      expect(existsSync(first.dataDir)).toBe(false);
      expect(await refused(first.port)).toBe(true);
      const second = await startRedis({ port: first.port });
      try {
        // Persistence is off: the restarted server starts empty, and ioredis reconnects to it.
        expect(await redis.get("k")).toBe(null);
      } finally {
        await second.stop();
      }
    } finally {
      redis.disconnect();
      await first.stop();
    }
  });
});
