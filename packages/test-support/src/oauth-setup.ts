import { startOAuthProxy, type OAuthProxyOptions } from "./start-oauth-proxy.js";
import { CLIENT_ID, CLIENT_SECRET, startTestIdentityProvider } from "./test-identity-provider.js";

/** The OAuth-mode proxy in workerd, signing people in through the test identity provider. */
export async function setUp(options: Partial<OAuthProxyOptions> = {}) {
  const idp = await startTestIdentityProvider();
  const proxy = await startOAuthProxy({
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    allowedEmails: "ada@example.com",
    ...options,
  });
  return { idp, proxy };
}
