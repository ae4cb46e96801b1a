// Miniflare exits the process on SIGINT, SIGTERM and SIGHUP as soon as one is created (its
// exit-hook.ts: kill workerd, then process.exit). The command line must outlive those signals
// long enough to let wrangler shut down and to dispose what it started, so it takes them over.
// Miniflare's "exit" listener stays: it is the last resort that kills workerd on any exit.
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Runs `start`, then removes the signal listeners it added to the process. */
export async function withoutSignalListeners<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await start();
  } finally {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
      }
    }
  }
}
