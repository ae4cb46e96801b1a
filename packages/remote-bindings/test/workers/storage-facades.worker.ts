// Test-only Worker: runs one storage scenario (storage/*-scenarios.ts) against a real binding
// through one path (storage/wire.ts) and answers what the caller observed, as JSON.
// GET /<kv|r2|d1>/<scenario name>?via=<binding|facade|capnweb>; GET /<kv|r2|d1> lists them.
import type { RpcTarget } from "capnweb";
import { D1Adapter } from "../../src/workers/proxy-server/d1-adapter.js";
import { KvAdapter } from "../../src/workers/proxy-server/kv-adapter.js";
import { R2Adapter } from "../../src/workers/proxy-server/r2-adapter.js";
import { d1Facade } from "../../src/workers/user-facades/d1.js";
import { kvFacade } from "../../src/workers/user-facades/kv.js";
import { r2Facade } from "../../src/workers/user-facades/r2.js";
import type { RawBinding } from "../../src/workers/user-facades/raw-binding.js";
import { d1Scenarios } from "./storage/d1-scenarios.js";
import { kvScenarios } from "./storage/kv-scenarios.js";
import { r2Scenarios } from "./storage/r2-scenarios.js";
import { wire, type Via } from "./storage/wire.js";

type Scenarios = Record<string, (api: never) => Promise<unknown>>;

interface Kind {
  scenarios: Scenarios;
  adapter(binding: never): RpcTarget;
  facade(raw: RawBinding): unknown;
}

const KINDS: Record<string, Kind> = {
  kv: { scenarios: kvScenarios, adapter: (kv) => new KvAdapter(kv), facade: kvFacade },
  r2: { scenarios: r2Scenarios, adapter: (r2) => new R2Adapter(r2), facade: r2Facade },
  d1: { scenarios: d1Scenarios, adapter: (db) => new D1Adapter(db), facade: d1Facade },
};

const VIAS = new Set<string>(["binding", "facade", "capnweb"]);

export default {
  async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {
    const url = new URL(request.url);
    const [, kindName = "", scenarioName = ""] = url.pathname.split("/").map(decodeURIComponent);
    const via = url.searchParams.get("via") ?? "";
    const kind = KINDS[kindName];
    if (kind !== undefined && scenarioName === "")
      return Response.json(Object.keys(kind.scenarios));
    const scenario = kind?.scenarios[scenarioName];
    if (kind === undefined || scenario === undefined || !VIAS.has(via)) {
      return new Response(`no scenario ${url.pathname}${url.search}`, { status: 404 });
    }
    // Each path has its own binding, so that what one path wrote never shows in another's answer.
    const binding = env[`${kindName.toUpperCase()}_${via.toUpperCase()}`] as never;
    if (via === "binding") return Response.json(await scenario(binding));
    const wired = wire(kind.adapter(binding), via as Exclude<Via, "binding">, binding);
    try {
      return Response.json(await scenario(kind.facade(wired.raw) as never));
    } finally {
      wired.close();
    }
  },
};
