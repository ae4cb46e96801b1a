export { main } from "./main.js";
export { startDevServer, type DevServer, type DevServerOptions } from "./dev/start-dev-server.js";
export { CliError, type CliErrorCode } from "./cli-error.js";
