import type { Logger } from "../logger.js";

/**
 * Runs until Ctrl-C or SIGTERM. Miniflare installs its own exit hook for those signals: it kills
 * every workerd process synchronously, then exits with 128 + the signal number (130 for Ctrl-C).
 * Nothing async can run after it, so this listener goes first and only says what is happening.
 */
export function runUntilSignal(logger: Logger): Promise<never> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.prependListener(signal, () => logger.info("Shutting down."));
  }
  return new Promise<never>(() => {});
}
