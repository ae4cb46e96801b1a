// The embedded remote's answer for a remote binding it has no local stand-in for (Workers AI,
// Vectorize, a service without a stand-in entry…): every call fails with a message that says
// why and how to reach the real binding, instead of an opaque "method not found".
import { WorkerEntrypoint } from "cloudflare:workers";

export interface UnavailableProps {
  /** The full explanation to give the caller. */
  message: string;
}

export default class UnavailableStandIn extends WorkerEntrypoint<unknown, UnavailableProps> {
  constructor(ctx: ExecutionContext<UnavailableProps>, env: unknown) {
    super(ctx, env);
    const { message } = ctx.props;
    return new Proxy(this, {
      get(self, property) {
        if (property === "then") return undefined;
        if (property === "fetch") return () => new Response(message, { status: 501 });
        if (typeof property === "symbol" || Reflect.has(self, property)) {
          return Reflect.get(self, property);
        }
        return () => {
          throw new Error(message);
        };
      },
    });
  }
}
