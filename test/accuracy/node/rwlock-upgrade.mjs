// Planted self-deadlock: a migrator reads the config under a read guard and,
// finding it outdated, asks for the write lock without dropping the read guard
// first. The writer waits for every reader to leave, itself included.
import * as insight from "async-insight";
import { RwLock } from "async-insight/sync";

const address = await insight.init().ready;
const config = new RwLock({ schema: 1 }, { name: "config" });

insight.spawn("migrator", async () => {
  const read = await config.read();
  if (read.value.schema < 2) {
    const write = await config.write();
    write.value.schema = 2;
    write.release();
  }
  read.release();
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 200);
