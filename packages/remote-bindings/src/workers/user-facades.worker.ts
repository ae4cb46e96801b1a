// Runs in the user's isolate, before the user's own modules: replaces each remote binding whose
// real API RPC alone cannot give (see FACADE_TYPES) with its facade, in the env object itself.
// workerd hands the same env to every handler, Durable Object and entrypoint of the isolate and
// to `import { env } from "cloudflare:workers"`, so one replacement reaches all of them, and the
// env keeps exactly the bindings the user declared.
import { env } from "cloudflare:workers";
import { aiFacade } from "./user-facades/ai.js";
import { d1Facade } from "./user-facades/d1.js";
import { kvFacade } from "./user-facades/kv.js";
import { r2Facade } from "./user-facades/r2.js";
import { serviceFacade } from "./user-facades/service.js";
import type { RawBinding } from "./user-facades/raw-binding.js";

const FACADES = {
  ai: aiFacade,
  d1: d1Facade,
  kv: kvFacade,
  r2: r2Facade,
  service: serviceFacade,
} as const;

export type FacadeType = keyof typeof FACADES;

export function installRemoteFacades(bindings: Record<string, FacadeType>): void {
  const target = env as Record<string, unknown>;
  for (const [name, type] of Object.entries(bindings)) {
    const raw = target[name] as RawBinding | undefined;
    // Another environment of the same config may not have the binding.
    if (raw === undefined || typeof raw !== "object") continue;
    Object.defineProperty(target, name, {
      value: FACADES[type](raw),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
}
