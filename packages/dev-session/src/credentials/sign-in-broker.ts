// How a stored sign-in reaches the proxy client when the tool's config cannot hold a Node
// function (wrangler's config, the Vite plugin's): a loopback token broker in this process
// (startTokenBroker of @access-bridge/remote-bindings), whose address and key reach the proxy
// client the way its credentials do, as variables of the environment wrangler runs in.
import {
  startTokenBroker,
  TOKEN_BROKER_BINDINGS,
  type TokenBroker,
} from "@access-bridge/remote-bindings";
import type { StoredSignIn } from "./stored-sign-in.js";

/** A broker for the sign-in, or undefined without one; `close()` it when the session ends. */
export async function startSignInBroker(
  signIn: StoredSignIn | undefined,
): Promise<TokenBroker | undefined> {
  return signIn === undefined ? undefined : startTokenBroker(signIn.source);
}

/** The broker's variables; empty ones without a broker, so that none is inherited by mistake. */
export function brokerVariables(broker: TokenBroker | undefined): Record<string, string> {
  return {
    [TOKEN_BROKER_BINDINGS.URL]: "",
    [TOKEN_BROKER_BINDINGS.KEY]: "",
    ...broker?.bindings,
  };
}
