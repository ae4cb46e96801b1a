// One scenario's network link, run in a child process: the delay proxy, and for scenario 4 the
// Node hop in front of it. Its sockets are then counted against the child's file descriptor
// limit: a design that leaks a connection per call exhausts its own link, not the bench.
import { startAccessHop, type AccessHop } from "./access-hop.js";
import { startDelayProxy, type DelayProxy } from "@access-bridge/test-support/delay-proxy";

export interface LinkConfig {
  /** Where the link leads: the remote's URL. */
  target: string;
  rttMs: number;
  /** Scenario 4: put the Node hop, adding these headers, in front of the delay proxy. */
  hopHeaders?: Record<string, string>;
}

export type LinkRequest = { type: "stats"; id: number } | { type: "drop" } | { type: "close" };
export type LinkReply =
  | { type: "ready"; url: string }
  | { type: "stats"; id: number; openConnections: number; acceptedConnections: number };

const send = (reply: LinkReply) => process.send?.(reply);

process.once("message", async (config: LinkConfig) => {
  const proxy: DelayProxy = await startDelayProxy(new URL(config.target), config.rttMs);
  const hop: AccessHop | undefined = config.hopHeaders
    ? await startAccessHop(proxy.url, config.hopHeaders)
    : undefined;
  process.on("message", async (request: LinkRequest) => {
    if (request.type === "drop") {
      proxy.drop();
    } else if (request.type === "stats") {
      send({
        type: "stats",
        id: request.id,
        openConnections: proxy.openConnections,
        acceptedConnections: proxy.acceptedConnections,
      });
    } else {
      await hop?.close();
      await proxy.close();
      process.exit(0);
    }
  });
  send({ type: "ready", url: hop?.url ?? proxy.url });
});
process.on("disconnect", () => process.exit(0));
