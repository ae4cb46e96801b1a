export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Logger = Record<LogLevel, (message: string) => void> & { readonly level: LogLevel };

const PREFIX: Record<LogLevel, string> = { error: "✘ ", warn: "▲ ", info: "", debug: "· " };

/** `info` and `debug` (the ready line, requests, calls) go to stdout; problems to stderr. */
export function createLogger(level: LogLevel): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const line = (wanted: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(wanted) > rank) return;
    const stream = wanted === "error" || wanted === "warn" ? process.stderr : process.stdout;
    stream.write(`${PREFIX[wanted]}${message}\n`);
  };
  return {
    level,
    error: line("error"),
    warn: line("warn"),
    info: line("info"),
    debug: line("debug"),
  };
}
