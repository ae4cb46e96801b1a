export { main } from "./main.js";
export { CliError, type CliErrorCode } from "./cli-error.js";
