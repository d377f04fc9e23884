// A client on undici (issue 15 adapters test): an Agent with one connection per origin; a "first" task's
// request hangs on a server that answers only when the test pokes stdin, so "second" (request) and
// "third" (fetch) wait for the connection.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import http from "node:http";
import { Agent, fetch, request } from "undici";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const held = [];
const server = http.createServer((_req, res) => held.push(res));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const agent = new Agent({ connections: 1 });

const first = insight.spawn("first", async () => (await request(`${origin}/first`, { dispatcher: agent })).body.text());
while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
const second = insight.spawn("second", async () => {
  const response = await request(`${origin}/second`, { dispatcher: agent }); // await: request
  return response.body.text();
});
const third = insight.spawn("third", async () => {
  const response = await fetch(`${origin}/third`, { dispatcher: agent }); // await: fetch
  return response.text();
});

const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, origin, tasks: { first: first.id, second: second.id, third: third.id } })}\n`);
process.stdin.on("data", () => {
  for (const res of held.splice(0)) res.end("ok");
  server.on("request", (_req, res) => res.end("ok"));
});
setInterval(() => {}, 1000);
