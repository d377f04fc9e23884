// Planted, in the main module itself: at start-up the main module takes the
// config lock, spawns a loader and awaits it (top-level await) before letting
// go; the loader needs the config lock. The main task (named after this file)
// and the loader wait on each other.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
console.log(`ready ${address?.port}`);
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
setTimeout(() => console.log("formed"), 300);

const config = new Mutex({ loaded: false }, { name: "config" });

async function load() {
  await sleep(50); // read the file
  const guard = await config.lock();
  guard.value.loaded = true;
  guard.release();
}

const guard = await config.lock();
await insight.spawn("loader", load);
guard.release();
