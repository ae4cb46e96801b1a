import { constants } from "node:os";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** The exit status a shell reports for a process ended by `signal`: 130 for Ctrl-C. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Holds Ctrl-C, SIGTERM and SIGHUP from the start of a command, so that nothing it started can
 * be left behind by a signal that arrives half-way: the command sees `requested` and unwinds.
 * Listeners added with `onSignal` hear every signal (to pass it on to a child).
 */
export class SignalGuard {
  requested: NodeJS.Signals | undefined;
  readonly #listeners = new Set<(signal: NodeJS.Signals) => void>();
  readonly #waiters = new Set<(signal: NodeJS.Signals) => void>();
  readonly #handle = (signal: NodeJS.Signals) => {
    this.requested ??= signal;
    for (const listener of this.#listeners) listener(signal);
    for (const waiter of this.#waiters) waiter(signal);
    this.#waiters.clear();
  };

  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.#handle);
  }

  /** Ends the command as `signal` would: for a failure that must stop what it started. */
  request(signal: NodeJS.Signals): void {
    this.#handle(signal);
  }

  onSignal(listener: (signal: NodeJS.Signals) => void): void {
    this.#listeners.add(listener);
  }

  /** Resolves with the first signal. */
  next(): Promise<NodeJS.Signals> {
    if (this.requested !== undefined) return Promise.resolve(this.requested);
    return new Promise((resolve) => this.#waiters.add(resolve));
  }

  dispose(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.#handle);
  }
}

/** Runs until Ctrl-C or SIGTERM, after `dispose` has run; returns the exit code. */
export async function runUntilSignal(
  guard: SignalGuard,
  dispose: () => Promise<void>,
): Promise<number> {
  const signal = await guard.next();
  process.stdout.write("Shutting down.\n");
  await dispose();
  return signalExitCode(signal);
}
