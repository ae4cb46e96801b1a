// The facades bundle of @access-bridge/remote-bindings (src/workers/binding-facades.worker.ts),
// which its build emits as JavaScript only.
declare module "@access-bridge/remote-bindings/binding-facades" {
  type RawBinding = Record<string, (...args: unknown[]) => Promise<unknown>>;
  export function aiFacade(raw: RawBinding): object;
  export function d1Facade(raw: RawBinding): object;
  export function kvFacade(raw: RawBinding): object;
  export function r2Facade(raw: RawBinding): object;
}
