// What the service-binding facade in the user's isolate (user-facades/service.ts) sends the
// proxy client to pipeline a dependent chain (`env.API.getCounter().increment()`) in one round
// trip, and what the proxy client's session host replays on its capnweb stub
// (proxy-client/pending-chain.ts). Plain data only: this file type-checks on both sides.

/**
 * The proxy client's method that takes a recorded chain. A call of a remote method with this
 * name would reach the chain instead, so the name is one no Worker would give a method.
 */
export const CHAIN_METHOD = "__accessBridgePipelineChain";

/**
 * One step of a chain: a property read or a call, on the result of the step at index `on`, or on
 * the binding itself when `on` is -1. Steps are numbered by their position, across every batch
 * the facade sends for one chain.
 */
export type ChainStep = { on: number; get: string } | { on: number; call: unknown[] };

/** The step index that stands for the binding itself. */
export const CHAIN_BINDING = -1;
