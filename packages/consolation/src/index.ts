export { main } from "./cli/main.js";
export { CliError } from "./cli/cli-error.js";
