// The service under load for bench/adapter-cost.mjs: node:http with a pg Pool
// against the real PostgreSQL in PG_URL; each request runs three queries
// through pool.query (checkout, query, release each time), as a small
// query-heavy handler does. INSIGHT_MODE: "plain" (no insight), "no-adapters"
// (init() with INSIGHT_ADAPTERS=off), "adapters" (init(): the pg adapter on).
import http from "node:http";
import pg from "pg";
import * as insight from "async-insight";

const mode = process.env.INSIGHT_MODE ?? "plain";
if (mode === "no-adapters") process.env.INSIGHT_ADAPTERS = "off";
const handle = mode === "plain" ? undefined : insight.init({ listenPort: 0 });
const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: Number(process.env.POOL_MAX ?? 10) });
pool.on("error", () => {});

process.on("SIGTERM", () => process.exit(0));

const server = http.createServer(async (request, response) => {
  // The bench reads this process's CPU time around a load window.
  if (request.url === "/__cpu") {
    response.end(JSON.stringify(process.cpuUsage()));
    return;
  }
  try {
    const id = Number(request.url?.split("/").pop()) || 1;
    const user = await pool.query("SELECT $1::int AS id, 'user-' || $1::text AS name", [id]);
    const orders = await pool.query("SELECT g AS order_id, g * 1.5 AS total FROM generate_series(1, 5) AS g");
    const count = await pool.query("SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r'");
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ user: user.rows[0], orders: orders.rows, tables: count.rows[0].n }));
  } catch (error) {
    response.writeHead(500);
    response.end(String(error));
  }
});

server.listen(0, "127.0.0.1", async () => {
  const address = handle ? await handle.ready : undefined;
  process.stdout.write(`${JSON.stringify({ http: server.address().port, console: address?.port ?? 0 })}\n`);
});
