// The second story: an orders service as people write it, express on pg, with
// nothing of insight in its code. server.mjs has the bug, server-fixed.mjs the
// fix; the two files differ only there (diff them). Insight is added from outside:
//
//   DATABASE_URL=postgres://… node --import async-insight/register server.mjs
//
// POST /orders takes a connection from the pool for its transaction and, while
// holding it, writes an audit row. One order at a time works either way. In
// server.mjs the audit row goes through the pool, a second connection: two
// orders at once each hold one of the pool's two connections and wait for the
// other, and from then on every request that needs the database hangs.
//
// PORT sets the HTTP port (0 = any free port); INSIGHT_BIND sets the console's.
import express from "express";
import { migrate, pool } from "./db.mjs";

const app = express();
app.use(express.json());

// Through the pool: a second connection, taken while the order holds its first.
async function recordAudit(event, orderId) {
  await pool.query("INSERT INTO audit_log (event, order_id) VALUES ($1, $2)", [event, orderId]);
}

app.post("/orders", async (req, res) => {
  const { customer = "guest", items = [] } = req.body ?? {};
  if (items.length === 0) return res.status(400).json({ error: "an order needs at least one item" });
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const order = await client.query("INSERT INTO orders (customer) VALUES ($1) RETURNING id, created_at", [customer]);
    const orderId = order.rows[0].id;
    for (const { sku, quantity = 1 } of items) {
      await client.query("INSERT INTO order_lines (order_id, sku, quantity) VALUES ($1, $2, $3)", [orderId, sku, quantity]);
    }
    await recordAudit("order.created", orderId);
    await client.query("COMMIT");
    res.status(201).json(order.rows[0]);
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
});

app.get("/orders/:id", async (req, res) => {
  const { rows } = await pool.query(
    "SELECT o.id, o.customer, o.created_at, json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity)) AS items " +
      "FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = $1 GROUP BY o.id",
    [req.params.id],
  );
  if (rows.length === 0) return res.status(404).json({ error: "no such order" });
  res.json(rows[0]);
});

app.get("/health", (req, res) => {
  res.json({ ok: true });
});

await migrate();
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`http listening on port ${server.address().port}`);
});
