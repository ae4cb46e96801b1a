// HTML that Access itself shows: the block page and (emulated) the sign-in page. Both say
// plainly that they come from an emulator, so nobody mistakes them for Cloudflare's. Plain
// strings only: the gate (in workerd) and the OIDC provider (in Node) both render them.

const EMULATOR_NOTICE =
  "This page comes from a local Cloudflare Access emulator (access-bridge), not from Cloudflare.";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}.notice{background:#fff3cd;padding:.5rem .75rem;border-radius:4px}button{margin:.25rem 0;padding:.4rem .8rem}</style>
</head>
<body>
${body}
<p class="notice">${escapeHtml(EMULATOR_NOTICE)}</p>
</body>
</html>
`;
}

/** Access's block page: its title is what clients (and our proxy client) recognise. */
export function blockPage(reason: string): string {
  return page(
    "Error ・ Cloudflare Access",
    `<h1>Forbidden</h1>
<p>You don't have permission to view this application. Cloudflare Access blocked the request.</p>
<p>Reason (emulator only): <code>${escapeHtml(reason)}</code></p>`,
  );
}

export interface SignInPageOptions {
  heading: string;
  /** "post" for the application's login page; "get" for OIDC, which signs in by `login_hint`. */
  method: "get" | "post";
  /** The form field that carries the chosen email. */
  emailField: string;
  /** Fields the form sends back unchanged. */
  hidden: Record<string, string>;
  allowedEmails: string[];
}

export function signInPage(options: SignInPageOptions): string {
  const field = escapeHtml(options.emailField);
  const hidden = Object.entries(options.hidden)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join("\n");
  const choices = options.allowedEmails
    .map(
      (email) =>
        `<div><button type="submit" name="${field}" value="${escapeHtml(email)}">Sign in as ${escapeHtml(email)}</button></div>`,
    )
    .join("\n");
  return page(
    "Sign in ・ Cloudflare Access",
    `<h1>${escapeHtml(options.heading)}</h1>
<p>Pick an identity. No password is asked: this is a test sign-in.</p>
<form method="${options.method}">
${hidden}
${choices}
<div><label>Email <input type="email" name="${field}" placeholder="you@example.com"></label>
<button type="submit">Sign in</button></div>
</form>`,
  );
}
