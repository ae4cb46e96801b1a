/**
 * A browser reduced to what an OAuth login needs: it follows the authorization URL, keeps the
 * consent page's cookies, submits the form, and hands back the redirect to the client's
 * callback so a test can deliver it as is, or tampered with.
 */
export async function consentInBrowser(
  authorizationUrl: string,
  decision: "approve" | "deny",
): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: "manual" });
  const body = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${body}`);
  const handle = /name="handle" value="([^"]+)"/.exec(body)?.[1];
  if (!handle) throw new Error("consent page has no handle");
  const cookies = page.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
  const submitted = await fetch(authorizationUrl, {
    method: "POST",
    redirect: "manual",
    headers: {
      Cookie: cookies,
      Origin: new URL(authorizationUrl).origin,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ handle: decodeEntities(handle), decision }).toString(),
  });
  const location = submitted.headers.get("location");
  if (submitted.status !== 302 || !location) {
    throw new Error(`consent submit answered ${submitted.status}: ${await submitted.text()}`);
  }
  return new URL(location);
}

/** The browser's hop to the callback (loopback server or relay); redirects are not followed. */
export function visit(url: URL | string): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}
