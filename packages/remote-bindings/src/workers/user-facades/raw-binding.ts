/** A remote binding as workerd gives it to the user's Worker: a service binding to the proxy
 * client, whose every method is an RPC call to the binding's adapter on the proxy server. */
export type RawBinding = Record<string, (...args: unknown[]) => Promise<unknown>>;
