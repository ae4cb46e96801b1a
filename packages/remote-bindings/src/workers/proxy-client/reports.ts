// Tells the developer what happened: through the Node reporter when there is one (the Miniflare
// API), else on the Worker's own log, which is where the developer looks under wrangler or the
// Vite plugin. Every report is redacted here.
import type { ProxyClientReport } from "../../shared/wire-protocol.js";
import { REPORTER_BINDING } from "../../shared/wire-protocol.js";
import type { ProxyClientEnv } from "./client-env.js";
import { redact } from "./redaction.js";

// Once per isolate and message on the log, so a loop of blocked calls does not flood it.
const logged = new Set<string>();

/** Best effort: a failed report never fails the binding call. */
export async function report(env: ProxyClientEnv, body: ProxyClientReport): Promise<void> {
  const safe = { ...body, message: redact(body.message, env) };
  const reporter = env[REPORTER_BINDING];
  if (reporter === undefined) {
    const key =
      safe.type === "access-blocked" || safe.type === "sign-in"
        ? `${safe.type}\n${safe.binding}\n${safe.host}`
        : safe.message;
    if (!logged.has(key)) {
      logged.add(key);
      console.warn(`[access-bridge] ${safe.message}`);
    }
    return;
  }
  try {
    const response = await reporter.fetch("http://access-bridge.reporter/", {
      method: "POST",
      body: JSON.stringify(safe),
    });
    await response.body?.cancel();
  } catch {
    // The Node side is gone (for example while Miniflare disposes); nobody is left to tell.
  }
}
