// The service both sides call: through a local service binding, and as the remote binding behind
// the proxy server.
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

class Counter extends RpcTarget {
  #value = 0;
  increment() {
    return ++this.#value;
  }
  describe() {
    return { value: this.#value };
  }
}

export default class Service extends WorkerEntrypoint {
  echo(value) {
    return value;
  }
  describe() {
    return { name: "service", tags: ["a", "b"], at: new Date(0) };
  }
  getCounter() {
    return new Counter();
  }
}
