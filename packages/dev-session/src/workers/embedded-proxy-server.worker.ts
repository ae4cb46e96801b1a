// The embedded remote's proxy server: the one that is deployed, with one addition. A dispatch
// namespace the embedded remote cannot stand in for still has to look like one, or the proxy
// server rightly refuses get() on it ("not a dispatch namespace") and the developer never learns
// why; so each such namespace is an object whose get() says what the embedded remote lacks.
import proxyServer from "@access-bridge/remote-bindings/proxy-server";

class UnavailableNamespace {
  constructor(private readonly message: string) {}

  get(): never {
    throw new Error(this.message);
  }
}

interface EmbeddedEnv extends Record<string, unknown> {
  /** JSON: namespace binding name → the message its get() answers. A string: never reachable. */
  UNAVAILABLE_NAMESPACES?: string;
}

export default {
  fetch(request, env, ctx) {
    const unavailable = JSON.parse(env.UNAVAILABLE_NAMESPACES ?? "{}") as Record<string, string>;
    const namespaces = Object.fromEntries(
      Object.entries(unavailable).map(([name, message]) => [
        name,
        new UnavailableNamespace(message),
      ]),
    );
    return proxyServer.fetch!(request as never, { ...env, ...namespaces }, ctx);
  },
} satisfies ExportedHandler<EmbeddedEnv>;
