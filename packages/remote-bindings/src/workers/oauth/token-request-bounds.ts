import {
  assertionIssuer,
  basicClientId,
  isIssuedToken,
  isPlausibleClientId,
  MAX_CREDENTIAL_LENGTH,
} from "./input-bounds.js";

/** RFC 6749 §5.2 error body, as the provider writes its own. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { "Cache-Control": "no-store", Pragma: "no-cache", ...headers } },
  );
}

/** The token request's form, or `undefined` when it is not one (the provider refuses those). */
export async function readTokenForm(request: Request): Promise<FormData | undefined> {
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (request.method !== "POST" || type !== "application/x-www-form-urlencoded") return undefined;
  return request
    .clone()
    .formData()
    .catch(() => undefined);
}

/** What a code, refresh token or token to revoke of the wrong shape is replaced with. */
const NOT_ISSUED = "not-issued";
const TOKEN_FIELDS = ["code", "refresh_token", "token"];

/**
 * `POST /oauth/token` (code and refresh grants, RFC 7009 revocation), before the provider sees
 * it. A client id of the wrong shape, wherever it is sent, is refused here with `invalid_client`
 * (the provider would look it up in KV). A code, refresh token or token to revoke of the wrong
 * shape is replaced with a value that cannot be a KV key, so the provider still authenticates
 * the client first and then answers as RFC 6749 §5.2 and RFC 7009 §2.2 say (`invalid_grant`, or
 * 200 for a revocation). Returns the request to hand on, or the refusal.
 */
export function boundTokenRequest(
  request: Request,
  form: FormData | undefined,
): Request | Response {
  if (form === undefined) return request;
  const authorization = request.headers.get("Authorization");
  const basic = /^Basic[\t ]/i.test(authorization ?? "");
  const invalidClient = () =>
    oauthError(
      401,
      "invalid_client",
      "The client id is not one this server issued or can resolve.",
      basic ? { "WWW-Authenticate": 'Basic realm="OAuth"' } : {},
    );
  if ((authorization?.length ?? 0) > MAX_CREDENTIAL_LENGTH) return invalidClient();
  const assertions = form.getAll("client_assertion").filter((value) => typeof value === "string");
  if (assertions.some((value) => value.length > MAX_CREDENTIAL_LENGTH)) return invalidClient();
  const clientIds = [
    ...form.getAll("client_id").filter((value) => value !== ""),
    ...(basic ? [basicClientId(authorization)].filter((value) => value !== undefined) : []),
    ...(form.has("client_id") ? [] : assertions.map(assertionIssuer).filter((iss) => iss)),
  ];
  if (clientIds.some((id) => !isPlausibleClientId(id))) return invalidClient();

  let replaced = false;
  const bounded = new URLSearchParams();
  for (const [name, value] of form) {
    const text = typeof value === "string" ? value : "";
    const outOfShape = TOKEN_FIELDS.includes(name) && text !== "" && !isIssuedToken(text);
    replaced ||= outOfShape;
    bounded.append(name, outOfShape ? NOT_ISSUED : text);
  }
  if (!replaced) return request;
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  return new Request(request.url, { method: "POST", headers, body: bounded.toString() });
}
