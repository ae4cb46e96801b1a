import type { Logger } from "../logger.js";

/** Resolves once Ctrl-C (or SIGTERM) has been handled and `dispose` has stopped workerd. */
export function waitForShutdown(dispose: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.debug(`${signal}: shutting down`);
      dispose().then(() => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      }, reject);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
