/** What the command line prints besides wrangler's own output: info to stdout, problems to stderr. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const logger: Logger = {
  info: (message) => process.stdout.write(`${message}\n`),
  warn: (message) => process.stderr.write(`▲ ${message}\n`),
  error: (message) => process.stderr.write(`✘ ${message}\n`),
};
