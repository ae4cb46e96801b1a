/**
 * On every answer of the OAuth layer itself (pages, metadata, token and registration endpoints,
 * refusals), never on a binding's own response, which passes through as the binding made it.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};
const FRAME_ANCESTORS = "frame-ancestors 'none'";

export function withSecurityHeaders(response: Response): Response {
  // A 101 carries a WebSocket that a copied Response would lose; there is no page to protect.
  if (response.status === 101) return response;
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) secured.headers.set(name, value);
  const policy = secured.headers.get("Content-Security-Policy");
  if (!policy?.includes("frame-ancestors")) {
    secured.headers.set(
      "Content-Security-Policy",
      policy ? `${policy}; ${FRAME_ANCESTORS}` : FRAME_ANCESTORS,
    );
  }
  return secured;
}
