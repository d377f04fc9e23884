/**
 * Zero-code start: `node --import async-insight/register app.js` turns insight on
 * with options from the environment (INSIGHT_* / TOKIO_CONSOLE_*), and instruments
 * the libraries the app loads (adapters/).
 */
import { installLibraryAdapters, registerLibraryHooks } from "./adapters/index.js";
import { init } from "./insight.js";
import { mainModuleFollows } from "./private/register-main.js";

registerLibraryHooks();
init();
mainModuleFollows();
// The ESM-only libraries are patched before the app's first line runs.
await installLibraryAdapters();
