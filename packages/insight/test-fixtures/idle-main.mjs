// An app that starts insight and then does nothing: its main task must not look busy because consoles visit.
import * as insight from "async-insight";

const handle = insight.init({ listenPort: 0 });
const address = await handle.ready;
process.stdout.write(`${address.port}\n`);
setInterval(() => {}, 1 << 30);
