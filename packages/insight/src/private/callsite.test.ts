/** Which frames are insight's own once it is installed from npm (async-insight, @async-insight/*), and which are the app's. */
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { isInsightFile } from "./callsite.js";

it("counts installed copies of async-insight and its scoped packages as insight, and nothing else", () => {
  const cases: [string, boolean][] = [
    ["/srv/app/node_modules/async-insight/dist/sync/channel.js", true],
    ["/srv/app/node_modules/.pnpm/async-insight@0.1.0/node_modules/async-insight/dist/spawn.js", true],
    ["/srv/app/node_modules/some-lib/node_modules/async-insight/dist/spawn.js", true],
    ["/srv/app/node_modules/@async-insight/protocol/dist/server/instrument-server.js", true],
    // The package's name before it was renamed is someone else's now.
    ["/srv/app/node_modules/insight/dist/spawn.js", false],
    ["/srv/app/node_modules/async-insight-extras/index.js", false],
    ["/srv/app/src/async-insight/worker.js", false],
    ["/srv/app/server.mjs", false],
    // This package's own folder, but its tests are user code.
    [fileURLToPath(new URL("./callsite.ts", import.meta.url)), true],
    [fileURLToPath(import.meta.url), false],
  ];
  expect(cases.map(([file]) => [file, isInsightFile(file)])).toEqual(cases);
});
