import {
  accessRequestHeaders,
  describeCredentials,
  isAccessBlock,
  type AccessCredentials,
} from "@access-bridge/remote-bindings";
import { asAnswer, probe, upgradeHeaders, type ProbeResult } from "./probe.js";

export interface CheckResult {
  level: "pass" | "warn" | "fail";
  title: string;
  fix?: string;
}

export interface DoctorTarget {
  url: URL;
  credentials: AccessCredentials | undefined;
  /** Names of the bindings the config marks remote. */
  bindings: string[];
}

// A binding name no proxy server has, to see how the server answers an unknown binding.
const PROBE_BINDING = "__access_bridge_doctor_probe__";

async function reachable(url: URL): Promise<ProbeResult | CheckResult> {
  try {
    return await probe(url, {});
  } catch (error) {
    return {
      level: "fail",
      title: `The remote at ${url.origin} did not answer (${error instanceof Error ? error.message : String(error)}).`,
      fix: "Check --remote-url (or ACCESS_BRIDGE_REMOTE_URL) and that the proxy server is deployed: see the @access-bridge/remote-bindings README.",
    };
  }
}

async function protection(anonymous: ProbeResult): Promise<CheckResult> {
  if (!(await isAccessBlock(asAnswer(anonymous)))) {
    return {
      level: "warn",
      title: `Cloudflare Access does not protect it: without credentials it answered ${anonymous.status}.`,
      fix: "Anyone who finds the URL can use your bindings. Add an Access application for this hostname with a Service Auth policy.",
    };
  }
  return {
    level: "pass",
    title:
      anonymous.status === 403
        ? "Cloudflare Access protects it (a request without credentials gets Access's 403)."
        : "Cloudflare Access protects it (a request without credentials is sent to sign in).",
  };
}

async function credentialsAccepted(target: DoctorTarget): Promise<CheckResult> {
  const sent = describeCredentials(target.credentials);
  if (target.credentials === undefined) {
    return {
      level: "fail",
      title: "No Access credentials are configured, so Access will block every binding call.",
      fix: `Set CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET to a service token the application's Service Auth policy allows, or sign in with \`access-bridge login --access ${target.url.host}\` (or set CLOUDFLARE_ACCESS_TOKEN to a user token).`,
    };
  }
  const answer = await probe(target.url, accessRequestHeaders(target.credentials));
  if (await isAccessBlock(asAnswer(answer))) {
    return {
      level: "fail",
      title: `Access rejected ${sent} (answered ${answer.status}).`,
      fix: "Check that the token is not revoked or expired and that a Service Auth policy of this application includes it (Zero Trust → Access → Applications → Policies).",
    };
  }
  return { level: "pass", title: `Access accepts ${sent}.` };
}

async function speaksProtocol(target: DoctorTarget): Promise<CheckResult> {
  const answer = await probe(target.url, {
    ...accessRequestHeaders(target.credentials),
    "MF-Binding": PROBE_BINDING,
    "MF-URL": target.url.href,
  });
  if (answer.status === 400) {
    return { level: "pass", title: "The proxy server speaks the remote-bindings protocol." };
  }
  return {
    level: "fail",
    title: `This does not look like a remote-bindings proxy server: an unknown binding got ${answer.status}, not 400.`,
    fix: "Point --remote-url at the proxy server Worker; deploy it with the wrangler.jsonc template of @access-bridge/remote-bindings.",
  };
}

async function exposesBinding(target: DoctorTarget, binding: string): Promise<CheckResult> {
  const url = new URL(target.url);
  url.searchParams.set("MF-Binding", binding);
  const answer = await probe(url, {
    ...accessRequestHeaders(target.credentials),
    ...upgradeHeaders(),
  });
  if (answer.status === 101)
    return { level: "pass", title: `The proxy server exposes ${binding}.` };
  if (answer.status === 400) {
    return {
      level: "fail",
      title: `The proxy server has no binding ${binding}, which your config marks remote.`,
      fix: `Add ${binding} to the proxy server's wrangler.jsonc (same name, same type) and deploy it again.`,
    };
  }
  return {
    level: "fail",
    title: `Opening ${binding} over RPC answered ${answer.status}.`,
    fix: "Run with --remote-url pointing at the proxy server, and see the remote-bindings README for its errors.",
  };
}

/** Each check in turn; later checks only run when the earlier ones make them meaningful. */
export async function runDoctorChecks(target: DoctorTarget): Promise<CheckResult[]> {
  const anonymous = await reachable(target.url);
  if ("level" in anonymous) return [anonymous];
  const results: CheckResult[] = [
    { level: "pass", title: `The remote at ${target.url.origin} answers.` },
    await protection(anonymous),
  ];
  if (results[1]!.level === "pass") {
    results.push(await credentialsAccepted(target));
    if (results.at(-1)!.level === "fail") return results;
  }
  const protocol = await speaksProtocol(target);
  results.push(protocol);
  if (protocol.level === "fail") return results;
  for (const binding of target.bindings) results.push(await exposesBinding(target, binding));
  return results;
}
