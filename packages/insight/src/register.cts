/**
 * `node --require async-insight/register app.cjs`: the CommonJS twin of
 * register.ts, chosen by the "require" condition of the `./register` export.
 * register.ts awaits at top level (the ESM-only library adapters), and
 * require() refuses a module graph that awaits (ERR_REQUIRE_ASYNC_MODULE), so
 * a preload through --require loads the library itself with require(esm)
 * (unflagged from Node 20.19 / 22.12) and starts insight synchronously,
 * before the app's first line. init() itself starts the library adapters;
 * only the wait for them, which a preload cannot do synchronously, is left out.
 */
import insight = require("./index.js");
import registerMain = require("./private/register-main.js");

insight.init();
registerMain.mainModuleFollows();
