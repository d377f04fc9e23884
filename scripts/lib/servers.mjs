// Real PostgreSQL and Redis servers for the tests, the story and the benchmarks:
// each call starts a private server on a free 127.0.0.1 port with its data in a
// fresh temporary directory, and stop() shuts it down and removes the directory.
// Nothing here touches a system-wide server or a fixed port.
//
//   const pg = await startPostgres();   // { host, port, user, database, url, dataDir, stop() }
//   const redis = await startRedis();   // { host, port, url, dataDir, stop() }
//
// PostgreSQL refuses to run as root. When this process is root, initdb and
// postgres run as an unprivileged account (`postgres` when the Debian package
// created it, else `nobody`) through Node's spawn uid/gid options, and the data
// directory is handed to that account. The server's superuser is always named
// "insight" (initdb -U) with trust authentication on 127.0.0.1 only.
//
// Servers are children of this process: they are stopped when it exits
// normally, and where util-linux's `setpriv` exists they also get a parent-death
// signal, so a test worker killed outright does not leave them running (the
// temporary directory may then remain under the OS temp dir).
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 30_000;

/** PATH lookup without a shell. */
function onPath(command) {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * Directory holding initdb/postgres/pg_isready: $INSIGHT_PG_BIN_DIR, else the
 * newest /usr/lib/postgresql/<ver>/bin (Debian does not put these on PATH),
 * else wherever initdb is on PATH. Undefined when PostgreSQL is not installed.
 */
export function postgresBinDir() {
  const fromEnv = process.env.INSIGHT_PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, "postgres"))) return fromEnv;
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => existsSync(join(debianRoot, v, "bin", "initdb")) && existsSync(join(debianRoot, v, "bin", "postgres")))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions.length) return join(debianRoot, versions[0], "bin");
  }
  const initdb = onPath("initdb");
  return initdb && existsSync(join(initdb, "..", "postgres")) ? join(initdb, "..") : undefined;
}

/** Path of redis-server (Debian installs it on PATH), or undefined. */
export function redisServerBin() {
  const fromEnv = process.env.INSIGHT_REDIS_SERVER;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return onPath("redis-server");
}

/** Finds a TCP port nobody listens on. A small window remains before the server binds it; start retries on a clash. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** uid/gid of an account from /etc/passwd, or undefined. */
function account(name) {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [user, , uid, gid] = line.split(":");
      if (user === name) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no /etc/passwd: fall through
  }
  return undefined;
}

/** The account PostgreSQL runs as: this process unless it is root. */
function postgresAccount() {
  if (process.getuid?.() !== 0) return undefined;
  const user = account("postgres") ?? account("nobody");
  if (!user) throw new Error("running as root and no 'postgres' or 'nobody' account exists for PostgreSQL to run as");
  return user;
}

const setprivBin = onPath("setpriv");

/**
 * Spawns a server with a parent-death signal when setpriv exists (the wrapper
 * execs the server, so the child pid is the server's own pid).
 */
function spawnServer(command, args, options, deathSignal) {
  if (setprivBin) return spawn(setprivBin, [`--pdeathsig=${deathSignal}`, command, ...args], options);
  return spawn(command, args, options);
}

const live = new Set();
let exitHookInstalled = false;

/** Kills what is still running and removes its directories when this process exits. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of live) server.killNow();
  });
}

function tail(text, max = 3_000) {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

/** Runs a setup command to completion; throws with its output on failure. */
function runSync(command, args, options) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})\n${tail(`${result.stdout}${result.stderr}`)}`);
  }
}

/** Polls check() until it resolves true; rejects when the child dies or the time runs out. */
async function waitUntilReady(child, output, check, what) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited during start (${child.exitCode ?? child.signalCode})\n${tail(output())}`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not accept connections within ${START_TIMEOUT_MS} ms\n${tail(output())}`);
}

/** Wraps a started child and its directory into the handle the callers get. */
function handle(child, dataDir, [stopSignal, firmSignal], fields) {
  let stopped;
  const entry = {
    killNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  live.add(entry);
  installExitHook();
  const stop = () => {
    stopped ??= new Promise((resolve) => {
      const done = () => {
        clearTimeout(firm);
        clearTimeout(force);
        live.delete(entry);
        rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      // The polite signal first, so clients that are closing (pg-pool's end() resolves before its
      // sockets close) are not cut off mid-goodbye; then the firm one; then SIGKILL.
      const firm = setTimeout(() => child.kill(firmSignal), 2_000);
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", done);
      child.kill(stopSignal);
    });
    return stopped;
  };
  return { ...fields, dataDir, pid: child.pid, stop };
}

function collect(child) {
  let text = "";
  child.stdout?.on("data", (chunk) => (text = tail(text + chunk, 20_000)));
  child.stderr?.on("data", (chunk) => (text = tail(text + chunk, 20_000)));
  return () => text;
}

/**
 * A process killed outright (SIGKILL, a test runner's timeout) cannot remove
 * its directories; its servers die with it (parent-death signal). Each
 * directory names its owner in `owner.pid`: directories whose owner is gone
 * are removed by the next start.
 */
function sweepStale(tmpRoot) {
  let names = [];
  try {
    names = readdirSync(tmpRoot).filter((n) => n.startsWith("insight-pg-") || n.startsWith("insight-redis-"));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpRoot, name);
    try {
      const owner = Number(readFileSync(join(dir, "owner.pid"), "utf8"));
      if (owner === process.pid) continue;
      if (alive(owner)) continue;
      // A postgres still running there (its parent-death signal missed) keeps the directory.
      const postmaster = join(dir, "data", "postmaster.pid");
      if (existsSync(postmaster) && alive(Number(readFileSync(postmaster, "utf8").split("\n")[0]))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // No owner file (being created right now, or not ours): leave it.
    }
  }
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error?.code !== "ESRCH";
  }
}

/** A fresh directory for one server, marked with its owner. */
function makeDataDir(tmpRoot, prefix) {
  sweepStale(tmpRoot);
  const dir = mkdtempSync(join(tmpRoot, prefix));
  writeFileSync(join(dir, "owner.pid"), String(process.pid));
  return dir;
}

/** Tries a start up to three times: another process may take the free port in between. */
async function withPortRetries(start) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      lastError = error;
      if (!/address already in use|could not bind|could not create any TCP\/IP sockets/i.test(String(error?.message))) throw error;
    }
  }
  throw lastError;
}

/**
 * Starts a private PostgreSQL: initdb (trust auth, superuser "insight") in a
 * new directory under tmpRoot (default: the OS temp dir), then postgres on a
 * free 127.0.0.1 port with its socket in that directory. Resolves once the
 * server accepts connections.
 */
export async function startPostgres({ tmpRoot = tmpdir() } = {}) {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error("PostgreSQL is not installed; run `node scripts/ensure-prereqs.mjs --apt`");
  const runAs = postgresAccount();
  const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
  const user = "insight";
  const database = "postgres";

  return withPortRetries(async (port) => {
    const dataDir = makeDataDir(tmpRoot, "insight-pg-");
    // mkdtemp makes the directory 0700, as postgres requires; the account it runs as must own it.
    if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
    const pgdata = join(dataDir, "data");
    const env = { ...process.env, LC_ALL: "C", LANG: "C", PGTZ: "UTC" };
    try {
      runSync(join(binDir, "initdb"), ["-D", pgdata, "-U", user, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"], {
        env,
        cwd: dataDir,
        ...ids,
      });
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    const args = [
      "-D",
      pgdata,
      "-p",
      String(port),
      "-c",
      `listen_addresses=${HOST}`,
      "-c",
      `unix_socket_directories=${dataDir}`,
      // A throwaway cluster: durability only costs time here.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
      "-c",
      "logging_collector=off",
    ];
    const child = spawnServer(join(binDir, "postgres"), args, { env, cwd: dataDir, stdio: ["ignore", "pipe", "pipe"], ...ids }, "SIGQUIT");
    const output = collect(child);
    // SIGTERM is postgres's "smart shutdown" (waits for sessions to end), SIGINT its "fast" one
    // (disconnects them); both exit cleanly.
    const server = handle(child, dataDir, ["SIGTERM", "SIGINT"], {
      host: HOST,
      port,
      user,
      database,
      url: `postgres://${user}@${HOST}:${port}/${database}`,
    });
    const isReady = join(binDir, "pg_isready");
    try {
      await waitUntilReady(
        child,
        output,
        () =>
          new Promise((resolve) => {
            const probe = spawn(isReady, ["-q", "-h", HOST, "-p", String(port), "-U", user, "-d", database], { stdio: "ignore" });
            probe.once("error", () => resolve(false));
            probe.once("exit", (code) => resolve(code === 0));
          }),
        `postgres on port ${port}`,
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  });
}

/** True once a RESP PING gets +PONG back. */
function redisPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let reply = "";
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
  });
}

/**
 * Starts a private redis-server on a free 127.0.0.1 port (or the given one, to
 * bring a stopped server back where its clients expect it) with persistence off
 * and its working directory in a new temporary directory.
 */
export async function startRedis({ tmpRoot = tmpdir(), port: fixedPort } = {}) {
  const bin = redisServerBin();
  if (!bin) throw new Error("redis-server is not installed; run `node scripts/ensure-prereqs.mjs --apt`");
  const start = async (port) => {
    const dataDir = makeDataDir(tmpRoot, "insight-redis-");
    const args = [
      "--port",
      String(port),
      "--bind",
      HOST,
      "--dir",
      dataDir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
      "--protected-mode",
      "no",
      "--logfile",
      "",
    ];
    const child = spawnServer(bin, args, { cwd: dataDir, stdio: ["ignore", "pipe", "pipe"] }, "SIGTERM");
    const output = collect(child);
    const server = handle(child, dataDir, ["SIGTERM", "SIGKILL"], { host: HOST, port, url: `redis://${HOST}:${port}` });
    try {
      await waitUntilReady(child, output, () => redisPing(port), `redis-server on port ${port}`);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  };
  return fixedPort === undefined ? withPortRetries(start) : start(fixedPort);
}
