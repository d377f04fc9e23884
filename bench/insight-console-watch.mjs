// A console attached to a target for the duration of a benchmark: watches
// updates (as tokio-console does) and counts what it receives.
import { ConsoleClient, parseTarget } from "@async-insight/client";

const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${process.argv[2]}`));
const abort = new AbortController();
process.on("SIGTERM", () => abort.abort());
let updates = 0;
let tasks = 0;
try {
  for await (const update of client.watchUpdates(abort.signal)) {
    updates++;
    tasks += update.taskUpdate?.newTasks.length ?? 0;
    if (updates === 1) process.stdout.write("attached\n");
  }
} catch {
  // aborted
}
process.stdout.write(`${JSON.stringify({ updates, tasks })}\n`);
