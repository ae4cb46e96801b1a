import { describe, expect, it } from "vitest";
import {
  ACCESS_CREDENTIAL_SOURCES,
  accessBlockAdvice,
  accessCredentialSource,
  doctorAdvice,
  halfSetTokenAdvice,
  signInAdvice,
  type AccessCredentialSource,
} from "../src/shared/advice.js";
import { clientIdHint, sentCredential, type SentCredential } from "../src/shared/credentials.js";

const host = "proxy.example.workers.dev";
const block = { binding: "AI", host, status: 302, path: "http" as const };
const blocked = { ...block, reason: "no_credentials" as const };
const rejected = { ...block, status: 403, reason: "credentials_rejected" as const };

const CLIENT_ID = "0123456789abcdef.access";
const SECRET = "s3cret-value-never-shown";
const USER_TOKEN = "eyJ.user-token.value";
const serviceToken: SentCredential = sentCredential({ clientId: CLIENT_ID, clientSecret: SECRET });
const userToken: SentCredential = sentCredential({ token: USER_TOKEN });
const none: SentCredential = { kind: "none" };

const LOGIN_ACCESS = `\`access-bridge login --access ${host}\``;
const CLOUDFLARED = `\`cloudflared access token --app=https://${host}\``;

describe("the advice for an Access block", () => {
  it("says where and how Access blocked the call", () => {
    const text = accessBlockAdvice(blocked, none, "none");
    expect(text).toContain(`remote binding "AI" (http) at ${host}`);
    expect(text).toContain("HTTP 302, a redirect to the Access login page");
    expect(text).toContain("no Access credentials were sent");
  });

  it("with nothing found anywhere, names the variables and login --access", () => {
    for (const source of ["none", undefined] as const) {
      const text = accessBlockAdvice(blocked, none, source);
      expect(text).toContain("CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET");
      expect(text).toContain("CLOUDFLARE_ACCESS_TOKEN");
      expect(text).toContain(`sign in with ${LOGIN_ACCESS}`);
    }
  });

  it("where only the environment is read, says how to get a token into it", () => {
    const text = accessBlockAdvice(blocked, none, "environment");
    expect(text).toContain("CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET");
    expect(text).toContain(
      `set CLOUDFLARE_ACCESS_TOKEN to a user token (${CLOUDFLARED} prints one)`,
    );
    expect(text).toContain(`also send the token ${LOGIN_ACCESS} stores`);
  });

  it("with the Miniflare API's option, names the option", () => {
    const text = accessBlockAdvice(blocked, none, "option");
    expect(text).toContain(`remoteBindings({ credentials }) gave none for ${host}`);
  });

  it("a rejected service token from the environment names its variables, and its id by a prefix only", () => {
    const text = accessBlockAdvice(rejected, serviceToken, "environment");
    expect(text).toContain("rejected the credentials");
    expect(text).toContain(`CF-Access-Client-Id ${clientIdHint(CLIENT_ID)}`);
    expect(text).toContain(
      "the service token in CLOUDFLARE_ACCESS_CLIENT_ID and CLOUDFLARE_ACCESS_CLIENT_SECRET is neither expired nor revoked",
    );
    expect(text).toContain('action "Service Auth"');
  });

  it("a rejected service token of the option names the option", () => {
    const text = accessBlockAdvice(rejected, serviceToken, "option");
    expect(text).toContain("the service token passed as remoteBindings({ credentials })");
  });

  it("the embedded remote's own token: restart the dev command", () => {
    const text = accessBlockAdvice(rejected, serviceToken, "embedded");
    expect(text).toContain("The embedded remote refused the service token minted for it");
    expect(text).not.toContain("CLOUDFLARE_ACCESS_CLIENT_ID");
  });

  it("a rejected stored token: run login --access again", () => {
    const text = accessBlockAdvice(rejected, userToken, "login --access");
    expect(text).toContain(`run ${LOGIN_ACCESS} again`);
    expect(text).not.toContain("CLOUDFLARE_ACCESS_TOKEN");
    expect(text).not.toContain("cloudflared");
  });

  it("a rejected user token from the environment: renew the variable, or use login --access", () => {
    for (const source of ["environment", undefined] as const) {
      const text = accessBlockAdvice(rejected, userToken, source);
      expect(text).toContain("The user token in CLOUDFLARE_ACCESS_TOKEN may have expired");
      expect(text).toContain(CLOUDFLARED);
      expect(text).toContain(`unset it and sign in with ${LOGIN_ACCESS}`);
    }
  });

  it("a rejected user token of the option names the option", () => {
    const text = accessBlockAdvice(rejected, userToken, "option");
    expect(text).toContain("remoteBindings({ credentials: { token } })");
  });

  it("never holds a secret, for any source and any credential", () => {
    for (const source of [...ACCESS_CREDENTIAL_SOURCES, undefined]) {
      for (const sent of [none, serviceToken, userToken]) {
        for (const text of [
          accessBlockAdvice(sent.kind === "none" ? blocked : rejected, sent, source),
          doctorAdvice(new URL(`https://${host}`), { kind: "access", sent, source }),
        ]) {
          expect(text).not.toContain(SECRET);
          expect(text).not.toContain(USER_TOKEN);
          expect(text).not.toContain(CLIENT_ID);
        }
      }
    }
  });
});

describe("the credential source binding", () => {
  it("reads each known source, and nothing else", () => {
    for (const source of ACCESS_CREDENTIAL_SOURCES)
      expect(accessCredentialSource(source)).toBe(source);
    expect(accessCredentialSource(undefined)).toBeUndefined();
    expect(accessCredentialSource("")).toBeUndefined();
    expect(accessCredentialSource("shell")).toBeUndefined();
  });
});

describe("the half-set service token", () => {
  it("names the variable that is set and the one that is missing, whichever it is", () => {
    const text = halfSetTokenAdvice({
      set: "CLOUDFLARE_ACCESS_CLIENT_ID",
      missing: "CLOUDFLARE_ACCESS_CLIENT_SECRET",
    });
    expect(text).toBe(
      "CLOUDFLARE_ACCESS_CLIENT_ID is set but CLOUDFLARE_ACCESS_CLIENT_SECRET is not, so no service token can be sent: a service token needs both. Set CLOUDFLARE_ACCESS_CLIENT_SECRET too (Cloudflare shows the pair when the token is created, under Zero Trust → Access → Service Auth), or unset CLOUDFLARE_ACCESS_CLIENT_ID.",
    );
  });
});

describe("the sign-in advice (OAuth mode)", () => {
  const place = { binding: "API", path: "rpc" as const, remoteUrl: `https://${host}/` };
  const LOGIN_REMOTE = `\`access-bridge login --remote https://${host}\``;

  it("no token sent: sign in, and how each tool sends it", () => {
    const text = signInAdvice(place, { kind: "required" });
    expect(text).toContain(`Sign in with ${LOGIN_REMOTE}`);
    expect(text).toContain("remoteBindings({ bearer })");
  });

  it("a refused token: sign in again; with the option, also check the token source", () => {
    const rejectedToken = { kind: "rejected" as const, error: "invalid_token" };
    expect(signInAdvice(place, rejectedToken, "login --remote")).toContain(
      `(HTTP 401, invalid_token), also after asking for a fresh token`,
    );
    expect(signInAdvice(place, rejectedToken, "login --remote")).toContain(
      `Sign in again with ${LOGIN_REMOTE}.`,
    );
    expect(signInAdvice(place, rejectedToken, "option")).toContain(
      "check the token source passed as remoteBindings({ bearer })",
    );
    expect(signInAdvice(place, { ...rejectedToken, notRetried: "POST" })).toContain(
      "a POST request is not sent again",
    );
  });

  it("no token from the source: its reason, then sign in again unless it said so", () => {
    const text = signInAdvice(place, { kind: "unavailable", reason: "the store is empty." });
    expect(text).toMatch(/^Remote binding "API" \(rpc\) at proxy\.example\.workers\.dev needs/);
    expect(text).toContain(`Sign in again with ${LOGIN_REMOTE}.`);
    const said = signInAdvice(place, { kind: "unavailable", reason: "run login --remote X." });
    expect(said).not.toContain("Sign in again");
  });
});

describe("doctor's advice", () => {
  const target = new URL(`https://${host}`);
  const access = (sent: SentCredential, source: AccessCredentialSource | undefined) =>
    doctorAdvice(target, { kind: "access", sent, source });

  it("is the proxy client's advice for the same case, on one line", () => {
    for (const source of [...ACCESS_CREDENTIAL_SOURCES, undefined]) {
      const line = access(userToken, source);
      expect(line).not.toContain("\n");
      expect(accessBlockAdvice(rejected, userToken, source)).toContain(line);
    }
  });

  it("names the command for where the credential came from", () => {
    expect(access(none, "none")).toContain(`sign in with ${LOGIN_ACCESS}`);
    expect(access(userToken, "login --access")).toContain(`run ${LOGIN_ACCESS} again`);
    expect(access(serviceToken, "environment")).toContain("CLOUDFLARE_ACCESS_CLIENT_SECRET");
    expect(access(serviceToken, "embedded")).toContain("embedded remote");
  });

  it("sign-in: login --remote for this remote", () => {
    expect(doctorAdvice(target, { kind: "sign-in", state: "none" })).toBe(
      `Run \`access-bridge login --remote https://${host}\`; access-bridge dev, run, doctor and @access-bridge/vite then send your sign-in's token.`,
    );
    expect(doctorAdvice(target, { kind: "sign-in", state: "refused" })).toBe(
      `Run \`access-bridge login --remote https://${host}\` again.`,
    );
  });
});
