// The database side of the orders service: one pg Pool for the whole process,
// and the schema with a few products to sell, created at startup.
//
// DATABASE_URL is the connection string (postgres://user@host:port/db).
import pg from "pg";

// Small on purpose: the story needs only two concurrent orders to hang it. A
// pool of 10 or 20 hangs the same way, at 10 or 20 concurrent orders.
// No connectionTimeoutMillis (pg's default): a checkout waits as long as it takes.
export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, application_name: "orders-service", max: 2 });

export async function migrate() {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS products (
      sku         text PRIMARY KEY,
      name        text NOT NULL,
      price_cents integer NOT NULL
    );
    CREATE TABLE IF NOT EXISTS orders (
      id         serial PRIMARY KEY,
      customer   text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE IF NOT EXISTS order_lines (
      order_id integer NOT NULL REFERENCES orders (id),
      sku      text NOT NULL REFERENCES products (sku),
      quantity integer NOT NULL CHECK (quantity > 0)
    );
    CREATE TABLE IF NOT EXISTS audit_log (
      id       serial PRIMARY KEY,
      event    text NOT NULL,
      order_id integer NOT NULL,
      at       timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO products (sku, name, price_cents) VALUES
      ('mug', 'Coffee mug', 1200),
      ('tee', 'T-shirt', 2500),
      ('cap', 'Baseball cap', 1800)
    ON CONFLICT (sku) DO NOTHING;
  `);
}
