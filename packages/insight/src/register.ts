/**
 * Zero-code start: `node --import async-insight/register app.js` turns insight on
 * with options from the environment (INSIGHT_* / TOKIO_CONSOLE_*).
 */
import { init } from "./insight.js";

init();
