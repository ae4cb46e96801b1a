// A browser reduced to what the OAuth mode's sign-in needs: cookies per host (attributes
// ignored, Max-Age=0 deletes), redirects not followed, so each hop can be checked or tampered with.
export class ScriptedBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string | URL): Promise<Response> {
    return this.send(new URL(url), { method: "GET" });
  }

  async post(
    url: string | URL,
    form: Record<string, string> | [string, string][],
  ): Promise<Response> {
    const target = new URL(url);
    return this.send(target, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: target.origin },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** A second browser: same network, none of this one's cookies. */
  static fresh(): ScriptedBrowser {
    return new ScriptedBrowser();
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    const cookies = [...(this.jar.get(url.host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");
    const headers = new Headers(init.headers);
    if (cookies) headers.set("Cookie", cookies);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    const jar = this.jar.get(url.host) ?? new Map<string, string>();
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = cookie.split(";");
      const [name = "", ...value] = pair.trim().split("=");
      if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) jar.delete(name);
      else jar.set(name, value.join("="));
    }
    this.jar.set(url.host, jar);
    return response;
  }
}

export function location(response: Response): URL {
  const value = response.headers.get("location");
  if (response.status !== 302 || value === null) {
    throw new Error(`expected a 302 with Location, got ${response.status}`);
  }
  return new URL(value);
}

export function consentHandle(html: string): string {
  const handle = /name="handle" value="([^"]+)"/.exec(html)?.[1];
  if (!handle) throw new Error("the consent page has no handle");
  return handle.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

export interface SignInSteps {
  /** The consent page (GET /oauth/authorize). */
  consent: Response;
  /** The redirect to Access after approval. */
  toAccess: URL;
  /** Access's redirect back to /oauth/callback. */
  toCallback: URL;
  /** The callback's answer: a 302 to the client's redirect URI on success. */
  callback: Response;
}

/** Approve on the consent page, sign in at Access, come back to the callback. */
export async function signIn(
  browser: ScriptedBrowser,
  authorizationUrl: string,
): Promise<SignInSteps> {
  const consent = await browser.get(authorizationUrl);
  const html = await consent.clone().text();
  if (consent.status !== 200) throw new Error(`consent page answered ${consent.status}: ${html}`);
  const toAccess = location(
    await browser.post(authorizationUrl, { handle: consentHandle(html), decision: "approve" }),
  );
  const toCallback = location(await browser.get(toAccess));
  const callback = await browser.get(toCallback);
  return { consent, toAccess, toCallback, callback };
}
