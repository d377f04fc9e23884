// One task per kind of wait Node can name (used by
// src/private/await-kinds.test.ts). Outside src/ so its frames count as user
// code. Each await is on its own line with text found nowhere else in this
// file: the test finds the line by that text and expects the op there.
// `targets` carries what the test set up: servers that never answer, a FIFO
// with no writer, a UDP port that drops every query. CommonJS, so that Node
// loads it as written: the test runner rewrites ES modules (their imports and
// exports) into more lines, which would move every line away from the text.
// `spawn` comes from the test, so that it is the test's own insight.
"use strict";
const { spawn: spawnChild } = require("node:child_process");
const { Resolver } = require("node:dns/promises");
const { once } = require("node:events");
const { readFile } = require("node:fs/promises");
const http = require("node:http");
const net = require("node:net");
const { Readable } = require("node:stream");
const { setTimeout: sleep } = require("node:timers/promises");
const { promisify } = require("node:util");
const { Worker } = require("node:worker_threads");

const delay = promisify(setTimeout);

async function wait(ms) {
  await sleep(ms, undefined, { ref: false });
}

/** Starts every task; returns what the test must close afterwards. */
function startKinds(spawn, targets) {
  const opened = { handles: [], sockets: [], children: [], workers: [], requests: [], resolvers: [] };
  const task = (name, fn) => opened.handles.push(spawn(name, fn));
  task("timers-promises", async () => {
    await sleep(60_000, undefined, { ref: false });
  });
  task("promisified-timer", async () => {
    await delay(60_000, undefined, { ref: false });
  });
  task("timer-in-promise", async () => {
    await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
  });
  task("fetch", async () => {
    await fetch(targets.silentUrl);
  });
  task("http-request", async () => {
    const request = http.request(targets.silentUrl);
    opened.requests.push(request);
    request.on("error", () => {});
    request.end();
    await once(request, "response");
  });
  task("socket-read", async () => {
    const socket = net.connect(targets.mutePort, "127.0.0.1");
    opened.sockets.push(socket);
    socket.on("error", () => {});
    for await (const chunk of socket) void chunk;
  });
  task("stream-read", async () => {
    const readable = new Readable({ read() {} });
    for await (const chunk of readable) void chunk;
  });
  task("drain", async () => {
    const socket = net.connect(targets.mutePort, "127.0.0.1");
    opened.sockets.push(socket);
    socket.on("error", () => {});
    await once(socket, "connect");
    // More than the kernel's buffers on both sides take: the peer never reads.
    if (!socket.write(Buffer.alloc(64 << 20))) await once(socket, "drain");
  });
  task("child", async () => {
    const child = spawnChild("sleep", ["60"], { stdio: "ignore" });
    opened.children.push(child);
    await once(child, "exit");
  });
  task("worker", async () => {
    const worker = new Worker("setInterval(() => {}, 1 << 30);", { eval: true });
    opened.workers.push(worker);
    await once(worker, "message");
  });
  task("fs", async () => {
    await readFile(targets.fifo);
  });
  task("dns", async () => {
    const resolver = new Resolver({ timeout: 60_000, tries: 1 });
    opened.resolvers.push(resolver);
    resolver.setServers([`127.0.0.1:${targets.dropPort}`]);
    await resolver.resolve4("never-answered.test");
  });
  task("after-a-value", async () => {
    await 5;
    await sleep(55_000, undefined, { ref: false });
  });
  task("then-chain", async () => {
    await sleep(59_000, undefined, { ref: false }).then(() => "late");
  });
  task("all", async () => {
    await Promise.all([sleep(60_000, undefined, { ref: false }), fetch(targets.silentUrl)]);
  });
  task("race", async () => {
    await Promise.race([fetch(targets.silentUrl), sleep(58_000, undefined, { ref: false })]);
  });
  task("allSettled", async () => {
    await Promise.allSettled([sleep(57_000, undefined, { ref: false }), fetch(targets.silentUrl), new Promise(() => {})]);
  });
  task("all-async", async () => {
    await Promise.all([wait(56_000), fetch(targets.silentUrl)]);
  });
  task("race-settled", async () => {
    await Promise.race([targets.gate, fetch(targets.silentUrl)]);
    await new Promise(() => {});
  });
  return opened;
}

/** A read that first waits inside Node for the FIFO to open, then for data. */
function startFifoRead(spawn, fifo) {
  return spawn("fifo-read", async () => {
    return await readFile(fifo, "utf8");
  });
}

module.exports = { startKinds, startFifoRead };
