import type { Miniflare } from "miniflare";
import type { AppTokens } from "./app-tokens.js";

const WARM_UP_PATH = "/cdn-cgi/access/certs";

/**
 * Makes the emulator's first gated request cost what its later ones cost, as at Access's edge,
 * which is always running. Without it the first request paid for the gate's first request, the
 * first connection from workerd to the Node-side authority and the first RSA signature, about
 * 7 ms on a quiet machine (the README's Performance section). The certs endpoint goes through
 * the gate and the authority and records no decision; the origin is not called, so its first
 * request stays its own cost, as behind real Access. The assertions of service tokens given at
 * start are signed now, not on their first request.
 */
export async function warmUp(
  miniflare: Miniflare,
  url: URL,
  appTokens: AppTokens,
  serviceTokenIds: readonly string[],
): Promise<void> {
  const throughGate = async () => {
    const response = await miniflare.dispatchFetch(new URL(WARM_UP_PATH, url));
    const body = await response.text();
    if (!response.ok) throw new Error(`${WARM_UP_PATH} answered ${response.status}: ${body}`);
  };
  await Promise.all([
    throughGate(),
    appTokens.warmUp(),
    ...serviceTokenIds.map((clientId) => appTokens.prepareService(clientId)),
  ]);
}
