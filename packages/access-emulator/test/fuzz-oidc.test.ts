// Property: hostile parameters, headers and bodies at the OIDC endpoints get OAuth error JSON
// (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1), the sign-in page or Access's block page, promptly:
// never a 5xx, and never a redirect to anything but a registered redirect URI.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { AccessEmulator, OAuthErrorCode } from "../src/index.js";
import { useLongLivedEmulator } from "./emulator-fixture.js";
import { headerValue, methods, oauthParameters, pathSegment } from "./fuzz-arbitraries.js";
import { FUZZ_PARAMETERS, FUZZ_TEST_TIMEOUT, REQUEST_BOUND_MS } from "./fuzz-budget.js";
import { authorizationRequest, authorize, pkcePair, REDIRECT_URI } from "./oidc-client.js";

const OAUTH_ERRORS: readonly OAuthErrorCode[] = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "invalid_scope",
  "access_denied",
  "login_required",
  "invalid_token",
];
const REGISTERED = [REDIRECT_URI, "http://127.0.0.1:9/second?tenant=1"];

let access: AccessEmulator;

/**
 * workerd itself refuses a request line or header section past its limits (414, 431) before
 * the emulator sees it; that is a 4xx with a plain reason too.
 */
async function isRuntimeLimit(response: Response, context: string): Promise<boolean> {
  if (response.status !== 414 && response.status !== 431) return false;
  expect((await response.text()).trim(), context).not.toBe("");
  return true;
}

async function expectOAuthErrorJson(response: Response, context: string): Promise<void> {
  expect(response.headers.get("content-type"), context).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: unknown; error_description: unknown };
  expect(OAUTH_ERRORS, context).toContain(body.error);
  expect(body.error_description, context).toEqual(expect.any(String));
}

describe("hostile input at the OIDC endpoints", () => {
  beforeAll(async () => {
    access = await useLongLivedEmulator({ type: "self_hosted", teamName: "acme" }, undefined, {
      oidc: {
        clientId: "fuzz-client",
        redirectUris: REGISTERED,
        allowedEmailDomains: ["example.com"],
        refreshTokenLifetime: "1h",
      },
    });
  });

  it(
    "/authorization: JSON error, sign-in page, block page, or a redirect to a registered URI only",
    async () => {
      const { challenge } = pkcePair();
      const parameters = oauthParameters(
        [
          "client_id",
          "redirect_uri",
          "response_type",
          "scope",
          "state",
          "nonce",
          "code_challenge",
          "code_challenge_method",
          "login_hint",
          "prompt",
          "response_mode",
        ],
        {
          client_id: ["fuzz-client", "other"],
          redirect_uri: [
            ...REGISTERED,
            "https://evil.example/cb",
            `${REDIRECT_URI}/x`,
            "//evil.example",
          ],
          response_type: ["code", "token", "code id_token", "id_token"],
          scope: [
            "openid",
            "openid email",
            "openid email profile groups",
            "email",
            "openid  offline_access",
          ],
          code_challenge: [challenge, "short", ""],
          code_challenge_method: ["S256", "plain", "s256"],
          login_hint: ["ada@example.com", "mallory@evil.example", "ada", "@", "a@b@c"],
          prompt: ["none", "login", "consent", "none login"],
        },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("GET", "POST", "PUT", "DELETE"),
          parameters,
          async (method, pairs) => {
            const query = new URLSearchParams(pairs);
            const response = await fetch(
              method === "GET"
                ? `${access.oidc.authorizationEndpoint}?${query}`
                : access.oidc.authorizationEndpoint,
              {
                method,
                redirect: "manual",
                signal: AbortSignal.timeout(REQUEST_BOUND_MS),
                ...(method === "GET" ? {} : { body: query }),
              },
            );
            const context = `${method} ${query}`.slice(0, 600);
            expect(response.status, context).toBeLessThan(500);
            if (await isRuntimeLimit(response, context)) return;
            if (response.status === 302) {
              const location = new URL(response.headers.get("location")!);
              const target = `${location.origin}${location.pathname}`;
              expect(
                REGISTERED.map((uri) => uri.split("?")[0]),
                context,
              ).toContain(target);
              const error = location.searchParams.get("error");
              if (error === null)
                expect(location.searchParams.get("code"), context).toMatch(/^[\w-]{43}$/);
              else expect(OAUTH_ERRORS, context).toContain(error);
            } else if (response.status === 200 || response.status === 403) {
              expect(response.headers.get("content-type"), context).toMatch(/^text\/html/);
              await response.text();
            } else {
              await expectOAuthErrorJson(response, context);
            }
          },
        ),
        FUZZ_PARAMETERS,
      );
    },
    FUZZ_TEST_TIMEOUT,
  );

  it(
    "/token: OAuth error JSON for any headers and body, tokens only for a fully valid exchange",
    async () => {
      const basic = (id: string, secret: string): string =>
        `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
      const authorizationHeader = fc.oneof(
        fc.constant(undefined),
        fc.constant(basic("fuzz-client", access.oidc.clientSecret)),
        fc
          .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
          .map(([id, secret]) => basic(id, secret)),
        fc.string({ maxLength: 40 }).map((text) => `Basic ${text}`),
        headerValue(120).map((text) => `Bearer ${text}`),
        headerValue(120),
      );
      const contentType = fc.constantFrom(
        undefined,
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded;charset=UTF-8",
        "application/json",
        "multipart/form-data; boundary=z",
        "text/plain",
      );
      const body = fc.oneof(
        oauthParameters(
          [
            "grant_type",
            "code",
            "redirect_uri",
            "code_verifier",
            "client_id",
            "client_secret",
            "refresh_token",
            "scope",
          ],
          {
            grant_type: [
              "authorization_code",
              "refresh_token",
              "client_credentials",
              "password",
              "",
            ],
            client_id: ["fuzz-client", "other"],
            client_secret: [access.oidc.clientSecret, "wrong"],
            redirect_uri: REGISTERED,
          },
        ).map((pairs) => new URLSearchParams(pairs).toString()),
        fc.string({ maxLength: 300 }),
        fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("POST", "POST", "POST", "GET", "PUT"),
          authorizationHeader,
          contentType,
          body,
          fc.boolean(),
          async (method, authorization, type, sentBody, withRealCode) => {
            // Half the runs carry a real, unspent code, so the grant's own checks are reached.
            let payload = sentBody;
            if (withRealCode) {
              const flow = authorizationRequest(access, { login_hint: "ada@example.com" });
              const code = new URL(
                (await authorize(access, flow.params)).headers.get("location")!,
              ).searchParams.get("code")!;
              payload = `${sentBody}&code=${code}`;
            }
            const headers: Record<string, string> = {};
            if (authorization !== undefined) headers.authorization = authorization;
            if (type !== undefined) headers["content-type"] = type;
            const response = await fetch(access.oidc.tokenEndpoint, {
              method,
              headers,
              signal: AbortSignal.timeout(REQUEST_BOUND_MS),
              ...(method === "GET" ? {} : { body: payload }),
            });
            const context = `${method} ${JSON.stringify(headers)} ${payload}`.slice(0, 600);
            expect(response.status, context).toBeLessThan(500);
            if (await isRuntimeLimit(response, context)) return;
            if (response.status === 200) {
              expect(await response.json(), context).toMatchObject({
                access_token: expect.any(String),
                id_token: expect.any(String),
                token_type: "Bearer",
              });
            } else {
              expect([400, 401, 405], context).toContain(response.status);
              await expectOAuthErrorJson(response, context);
            }
          },
        ),
        FUZZ_PARAMETERS,
      );
    },
    FUZZ_TEST_TIMEOUT,
  );

  it(
    "/userinfo and every other path under the issuer: a plain JSON answer, never a 5xx",
    async () => {
      const path = fc.oneof(
        fc.constantFrom(
          "userinfo",
          "jwks",
          ".well-known/openid-configuration",
          "token",
          "authorization",
        ),
        fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")),
      );
      const client = fc.oneof(fc.constant("fuzz-client"), pathSegment);
      await fc.assert(
        fc.asyncProperty(
          methods,
          client,
          path,
          fc.option(
            fc.oneof(
              headerValue(200),
              headerValue(200).map((text) => `Bearer ${text}`),
            ),
            { nil: undefined },
          ),
          async (method, clientId, rest, authorization) => {
            const response = await fetch(
              `${access.url}/cdn-cgi/access/sso/oidc/${clientId}/${rest}`,
              {
                method,
                redirect: "manual",
                signal: AbortSignal.timeout(REQUEST_BOUND_MS),
                headers: authorization === undefined ? {} : { authorization },
              },
            );
            const context = `${method} ${clientId}/${rest} ${authorization ?? ""}`.slice(0, 600);
            expect(response.status, context).toBeLessThan(500);
            if (await isRuntimeLimit(response, context)) return;
            if (method === "HEAD" || response.status === 302) return;
            const path = `/cdn-cgi/access/sso/oidc/${clientId}/${rest}`;
            const underIssuer = new URL(`http://x${path}`).pathname.startsWith(
              "/cdn-cgi/access/sso/oidc/",
            );
            if (response.status >= 400 && underIssuer) {
              await expectOAuthErrorJson(response, context);
            } else if (response.status >= 400) {
              // Dot segments took the path out of the OIDC prefix: Access's own plain answers.
              expect((await response.text()).trim(), context).not.toBe("");
            } else {
              await response.text();
            }
          },
        ),
        FUZZ_PARAMETERS,
      );
    },
    FUZZ_TEST_TIMEOUT,
  );
});
