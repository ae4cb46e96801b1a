// A refused call of Cloudflare's API, as one sentence: what access-bridge was doing, what is
// missing (a permission of the API token, an object, a feature of the plan), and what to do.
// The statuses and codes are those Cloudflare documents:
// - https://developers.cloudflare.com/fundamentals/api/troubleshooting/ (an invalid token, a
//   token without the permission);
// - https://developers.cloudflare.com/changelog/post/2026-08-20-contextual-403s/ (a 403 carries
//   code 10000 and the endpoint's documentation_url, which lists the accepted permissions);
// - https://developers.cloudflare.com/api/limits/ (429, the global rate limit).
// Cloudflare's own message is quoted after ours: it never holds the token.

/** One call: what it does, for messages, and the permission it needs (as the dashboard names it). */
export interface ApiCall {
  /** "create the Access application for proxy.example.workers.dev" */
  action: string;
  /** "Access: Apps and Policies Write" */
  permission: string;
  /** What a 404 means for this call, when it means something other than a deleted object. */
  notFound?: string;
}

export interface ApiFailure {
  status: number;
  errors: { code?: number; message?: string; documentation_url?: string }[];
  retryAfter: string | null;
}

const TOKENS_PAGE = "https://dash.cloudflare.com/profile/api-tokens";

/** Codes of a token Cloudflare does not accept at all (missing, malformed, expired, revoked). */
const INVALID_TOKEN_CODES = new Set([6003, 6111, 9103, 9106, 9109, 10001]);

function quoted(failure: ApiFailure): string {
  const said = failure.errors
    .map((error) =>
      [error.code === undefined ? undefined : `${error.code}`, error.message]
        .filter(Boolean)
        .join(" "),
    )
    .filter((text) => text !== "");
  return said.length === 0
    ? ` (HTTP ${failure.status})`
    : ` (HTTP ${failure.status}: ${said.join("; ")})`;
}

function mentionsPlan(failure: ApiFailure): boolean {
  return failure.errors.some((error) =>
    /\b(plan|entitle\w*|seat|subscription|upgrade|quota|limit exceeded|maximum number)\b/i.test(
      error.message ?? "",
    ),
  );
}

export function describeApiError(call: ApiCall, failure: ApiFailure): string {
  const { status } = failure;
  const codes = new Set(failure.errors.map((error) => error.code));
  const cloudflareSaid = quoted(failure);
  if (status === 401 || [...codes].some((code) => INVALID_TOKEN_CODES.has(code!))) {
    return `Cloudflare did not accept the API token in CLOUDFLARE_API_TOKEN when access-bridge tried to ${call.action}: it is missing, mistyped, expired or revoked${cloudflareSaid}. Create a token at ${TOKENS_PAGE} with the permission "${call.permission}" (and the others access-bridge deploy lists in its help), set CLOUDFLARE_API_TOKEN to it, and run again.`;
  }
  if (mentionsPlan(failure) && (status === 400 || status === 402 || status === 403)) {
    return `Cloudflare refused to ${call.action} because your account's plan does not include it${cloudflareSaid}. Check your Zero Trust plan in the dashboard (Zero Trust → Settings → Account), or free what the limit counts, then run again.`;
  }
  if (status === 403) {
    const docs = failure.errors.find((error) => error.documentation_url)?.documentation_url;
    return `The API token in CLOUDFLARE_API_TOKEN may not ${call.action}: it lacks the permission "${call.permission}" on this account${cloudflareSaid}. Add it to the token at ${TOKENS_PAGE} (Account → ${call.permission}), or use a token that has it, and run again.${docs === undefined ? "" : ` Cloudflare's page for this call: ${docs}`}`;
  }
  if (status === 404) {
    return (
      call.notFound ??
      `Cloudflare could not find what access-bridge needed to ${call.action}: it was deleted or never existed on this account${cloudflareSaid}. Check the account (CLOUDFLARE_ACCOUNT_ID or account_id in your config) and run again; access-bridge creates what is missing.`
    );
  }
  if (status === 409) {
    return `Cloudflare refused to ${call.action}: something with the same name or host already exists and access-bridge did not recognise it as its own${cloudflareSaid}. Rename or delete it in the dashboard (Zero Trust → Access), or deploy under another --name, and run again.`;
  }
  if (status === 429) {
    const wait = failure.retryAfter === null ? "a few minutes" : `${failure.retryAfter} s`;
    return `Cloudflare's API limits how often a token may call it, and this token is over the limit, so access-bridge could not ${call.action}${cloudflareSaid}. Wait ${wait} and run again.`;
  }
  if (status >= 500) {
    return `Cloudflare's API failed while access-bridge tried to ${call.action}${cloudflareSaid}. This is on Cloudflare's side: run again in a while, and check https://www.cloudflarestatus.com if it persists.`;
  }
  return `Cloudflare refused to ${call.action}${cloudflareSaid}. access-bridge did not expect this answer: check the message, fix what it names in the dashboard, and run again.`;
}
