// The greeter service the guestbook calls over RPC (a service binding with methods). Deployed,
// it is a Worker of its own; here it is also the embedded remote's stand-in (access-bridge.jsonc).
import { WorkerEntrypoint } from "cloudflare:workers";

export interface Greeting {
  text: string;
  /** Which deployment answered: set SERVED_BY on the greeter to tell them apart. */
  servedBy: string;
}

interface GreeterEnv {
  SERVED_BY?: string;
}

export default class Greeter extends WorkerEntrypoint<GreeterEnv> {
  override async fetch(): Promise<Response> {
    return new Response("The guestbook greeter speaks RPC: greet(name).");
  }

  greet(name: string): Greeting {
    return { text: `Hello, ${name}!`, servedBy: this.env.SERVED_BY ?? "guestbook-greeter" };
  }
}
