// Planted, in HTTP request tasks: two endpoints move stock between two
// warehouses, locking them in opposite orders. Two requests that arrive
// together each hold one warehouse and wait at their second lock for the
// other. Their task names are the requests, "POST /move/north-south" and
// "POST /move/south-north".
import http from "node:http";
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const warehouses = { north: new Mutex({ stock: 10 }, { name: "north" }), south: new Mutex({ stock: 10 }, { name: "south" }) };

async function move(from, to) {
  const a = await warehouses[from].lock();
  await sleep(300); // record the pick
  const b = await warehouses[to].lock();
  a.value.stock -= 1;
  b.value.stock += 1;
  b.release();
  a.release();
}

const server = http.createServer(async (request, response) => {
  const [, , route] = request.url.split("/");
  const [from, to] = route.split("-");
  await move(from, to);
  response.end("moved\n");
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  for (const path of ["/move/north-south", "/move/south-north"]) {
    http.request({ port, path, method: "POST" }, (res) => res.resume()).on("error", () => {}).end();
  }
  console.log(`ready ${address?.port}`);
  setTimeout(() => console.log("formed"), 800);
});
