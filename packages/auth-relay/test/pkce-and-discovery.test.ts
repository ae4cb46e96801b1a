import { describe, expect, test } from "vitest";
import { acceptAuthorizationResponse } from "../src/authorization-request.js";
import { metadataUrl, parseIssuer, type AuthorizationServerMetadata } from "../src/discovery.js";
import { chooseTransport } from "../src/login.js";
import { headlessReasons } from "../src/headless.js";
import { codeChallengeS256, createCodeVerifier, createState, statesMatch } from "../src/pkce.js";
import { RELAY_STATE_PATTERN } from "../src/relay-protocol.js";

describe("PKCE and state", () => {
  test("S256 matches the RFC 7636 Appendix B test vector", () => {
    expect(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  test("verifiers are 43 unreserved characters (RFC 7636 §4.1) and differ each time", () => {
    const verifier = createCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43}$/);
    expect(createCodeVerifier()).not.toBe(verifier);
  });

  test("state is 32 random characters the relay accepts, compared exactly", () => {
    const state = createState();
    expect(state).toHaveLength(32);
    expect(state).toMatch(RELAY_STATE_PATTERN);
    expect(statesMatch(state, state)).toBe(true);
    expect(statesMatch(state, `${state}x`)).toBe(false);
    expect(statesMatch(state, undefined)).toBe(false);
  });
});

describe("discovery and the authorization response", () => {
  test("RFC 8414 §3.1 inserts the well-known segment before the issuer's path", () => {
    expect(metadataUrl(new URL("https://as.example"), "oauth-authorization-server")).toBe(
      "https://as.example/.well-known/oauth-authorization-server",
    );
    expect(metadataUrl(new URL("https://as.example/tenant/"), "oauth-authorization-server")).toBe(
      "https://as.example/.well-known/oauth-authorization-server/tenant",
    );
  });

  test("an issuer must be https (http only on loopback), without query or fragment", () => {
    for (const bad of [
      "http://as.example",
      "https://as.example?x=1",
      "https://as.example#f",
      "nope",
    ]) {
      expect(() => parseIssuer(bad)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_OPTION" }),
      );
    }
    expect(parseIssuer("http://127.0.0.1:8787").host).toBe("127.0.0.1:8787");
  });

  const metadata: AuthorizationServerMetadata = {
    issuer: "https://as.example",
    token_endpoint: "https://as.example/token",
    authorization_response_iss_parameter_supported: true,
  };

  test("RFC 9207 §2.4: iss required when advertised, and must equal the issuer", () => {
    const state = createState();
    expect(
      acceptAuthorizationResponse({ state, code: "c", iss: metadata.issuer }, state, metadata),
    ).toBe("c");
    expect(() => acceptAuthorizationResponse({ state, code: "c" }, state, metadata)).toThrow(
      expect.objectContaining({ code: "ERR_ISSUER_MISMATCH" }),
    );
    const quiet = { ...metadata, authorization_response_iss_parameter_supported: false };
    expect(acceptAuthorizationResponse({ state, code: "c" }, state, quiet)).toBe("c");
  });

  test("state is checked before anything else, so a forged error cannot end a login", () => {
    expect(() =>
      acceptAuthorizationResponse(
        { state: createState(), error: "access_denied" },
        createState(),
        metadata,
      ),
    ).toThrow(expect.objectContaining({ code: "ERR_STATE_MISMATCH" }));
  });
});

describe("choosing a transport", () => {
  const noDevice = {};
  test("headless signals: SSH, Codespaces, containers, no display", () => {
    expect(headlessReasons({ SSH_CONNECTION: "1 2 3 4" }, "darwin", () => false)).toEqual([
      "running over SSH",
    ]);
    expect(headlessReasons({ CODESPACES: "true", DISPLAY: ":0" }, "linux", () => false)).toEqual([
      "running in GitHub Codespaces",
    ]);
    expect(headlessReasons({ DISPLAY: ":0" }, "linux", (file) => file === "/.dockerenv")).toEqual([
      "running in a container",
    ]);
    expect(headlessReasons({}, "linux", () => false)).toEqual([
      "no display (DISPLAY/WAYLAND_DISPLAY unset)",
    ]);
    expect(headlessReasons({}, "darwin", () => false)).toEqual([]);
  });

  test("auto: --relay wins, then a configured relay when headless, then device, then localhost", () => {
    const ssh = { SSH_TTY: "/dev/pts/0" };
    expect(chooseTransport({ relayUrl: "https://r.example" }, {}, noDevice).transport).toBe(
      "relay",
    );
    expect(
      chooseTransport({}, { ...ssh, ACCESS_BRIDGE_RELAY_URL: "https://r.example" }, noDevice),
    ).toMatchObject({
      transport: "relay",
      relayUrl: "https://r.example",
    });
    expect(
      chooseTransport({}, ssh, { device_authorization_endpoint: "https://as/device" }).transport,
    ).toBe("device");
    expect(chooseTransport({}, ssh, noDevice).transport).toBe("localhost");
    expect(() => chooseTransport({ transport: "relay" }, {}, noDevice)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_OPTION" }),
    );
  });
});
