export { main } from "./main.js";
export { CLI_ERROR_CODES, CliError, type CliErrorCode } from "./cli-error.js";
export {
  startRemoteFixture,
  type RemoteFixture,
  type RemoteFixtureBinding,
  type RemoteFixtureOptions,
} from "./remote-fixture/start-remote-fixture.js";
