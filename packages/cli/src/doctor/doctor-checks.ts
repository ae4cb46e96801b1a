import {
  accessRequestHeaders,
  bearerRefusal,
  describeCredentials,
  doctorAdvice,
  isAccessBlock,
  sentCredential,
  WIRE,
  type AccessCredentials,
  type AccessCredentialSource,
  type BearerTokenSource,
} from "@access-bridge/remote-bindings";
import { errorDetail } from "@access-bridge/conventions";
import { asAnswer, probe, upgradeHeaders, type ProbeResult } from "./probe.js";

export interface CheckResult {
  level: "pass" | "warn" | "fail";
  title: string;
  fix?: string;
}

export interface DoctorTarget {
  url: URL;
  credentials: AccessCredentials | undefined;
  /** Where `credentials` came from (or were looked for), so that a fix names the right command. */
  source?: AccessCredentialSource;
  /** Names of the bindings the config marks remote. */
  bindings: string[];
  /** The stored `login --remote` sign-in for this remote, if any (OAuth mode). */
  bearer?: BearerTokenSource;
}

/** The headers every binding probe carries: Access credentials, and the bearer in OAuth mode. */
type ProbeHeaders = Record<string, string>;

// A binding name no proxy server has, to see how the server answers an unknown binding.
const PROBE_BINDING = "__access_bridge_doctor_probe__";

/** The wire protocol's headers of an HTTP call to the probe binding (wire-protocol.ts). */
const probeCall = (url: URL): ProbeHeaders => ({
  [WIRE.BINDING]: PROBE_BINDING,
  [WIRE.URL]: url.href,
});

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

const isOAuthMode = (answer: ProbeResult, url: URL) =>
  bearerRefusal(asAnswer(answer), url.href) !== undefined;

async function protection(anonymous: ProbeResult, url: URL): Promise<CheckResult> {
  if (isOAuthMode(anonymous, url)) {
    return {
      level: "pass",
      title:
        "Cloudflare Access does not protect it, but it is a proxy server in OAuth mode: every binding call needs a sign-in (Authorization: Bearer).",
    };
  }
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

async function credentialsAccepted(
  target: DoctorTarget,
): Promise<CheckResult & { answer?: ProbeResult }> {
  const sent = describeCredentials(target.credentials);
  if (target.credentials === undefined) {
    return {
      level: "fail",
      title: "No Access credentials are configured, so Access will block every binding call.",
      fix: doctorAdvice(target.url, {
        kind: "access",
        sent: { kind: "none" },
        source: target.source,
      }),
    };
  }
  const answer = await probe(target.url, accessRequestHeaders(target.credentials));
  if (await isAccessBlock(asAnswer(answer))) {
    return {
      level: "fail",
      title: `Access rejected ${sent} (answered ${answer.status}).`,
      fix: doctorAdvice(target.url, {
        kind: "access",
        sent: sentCredential(target.credentials),
        source: target.source,
      }),
    };
  }
  return { level: "pass", title: `Access accepts ${sent}.`, answer };
}

/** OAuth mode: the stored sign-in gives a token, and the proxy server accepts it. */
async function signedIn(
  target: DoctorTarget,
  headers: ProbeHeaders,
): Promise<{ result: CheckResult; headers?: ProbeHeaders }> {
  if (target.bearer === undefined) {
    return {
      result: {
        level: "fail",
        title:
          "You have not signed in to this proxy server, so it will refuse every binding call (401).",
        fix: doctorAdvice(target.url, { kind: "sign-in", state: "none" }),
      },
    };
  }
  let token: string;
  let expiresAt: number | undefined;
  try {
    const value = await target.bearer.token();
    ({ token, expiresAt } =
      typeof value === "string" ? { token: value, expiresAt: undefined } : value);
  } catch (error) {
    return {
      result: {
        level: "fail",
        title: `Your sign-in to this proxy server gives no access token: ${errorDetail(error)}`,
        fix: doctorAdvice(target.url, { kind: "sign-in", state: "no-token" }),
      },
    };
  }
  const withBearer = { ...headers, Authorization: `Bearer ${token}` };
  const answer = await probe(target.url, { ...withBearer, ...probeCall(target.url) });
  if (isOAuthMode(answer, target.url)) {
    return {
      result: {
        level: "fail",
        title:
          "The proxy server refused your sign-in's access token (401): it was revoked, or the sign-in ran out.",
        fix: doctorAdvice(target.url, { kind: "sign-in", state: "refused" }),
      },
    };
  }
  const until =
    expiresAt === undefined
      ? ""
      : `; its access token is valid until ${new Date(expiresAt).toLocaleTimeString()} and is renewed as it expires`;
  return {
    result: {
      level: "pass",
      title: `The proxy server accepts your sign-in (access-bridge login --remote)${until}.`,
    },
    headers: withBearer,
  };
}

async function speaksProtocol(target: DoctorTarget, headers: ProbeHeaders): Promise<CheckResult> {
  const answer = await probe(target.url, { ...headers, ...probeCall(target.url) });
  if (answer.status === 400) {
    return { level: "pass", title: "The proxy server speaks the remote-bindings protocol." };
  }
  return {
    level: "fail",
    title: `This does not look like a remote-bindings proxy server: an unknown binding got ${answer.status}, not 400.`,
    fix: "Point --remote-url at the proxy server Worker; deploy it with the wrangler.jsonc template of @access-bridge/remote-bindings.",
  };
}

async function exposesBinding(
  target: DoctorTarget,
  binding: string,
  headers: ProbeHeaders,
): Promise<CheckResult> {
  const url = new URL(target.url);
  url.searchParams.set(WIRE.BINDING, binding);
  const answer = await probe(url, { ...headers, ...upgradeHeaders() });
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
    await protection(anonymous, target.url),
  ];
  // Behind Access, the OAuth layer (if any) answers only once Access lets the probe through.
  let oauthMode = isOAuthMode(anonymous, target.url);
  if (results[1]!.level === "pass" && !oauthMode) {
    const { answer, ...accepted } = await credentialsAccepted(target);
    results.push(accepted);
    if (accepted.level === "fail") return results;
    oauthMode = answer !== undefined && isOAuthMode(answer, target.url);
  }
  let headers: ProbeHeaders = accessRequestHeaders(target.credentials);
  if (oauthMode) {
    const signIn = await signedIn(target, headers);
    results.push(signIn.result);
    if (signIn.headers === undefined) return results;
    headers = signIn.headers;
  }
  const protocol = await speaksProtocol(target, headers);
  results.push(protocol);
  if (protocol.level === "fail") return results;
  for (const binding of target.bindings) {
    results.push(await exposesBinding(target, binding, headers));
  }
  return results;
}
