/** The OAuth layer's own paths; every other path is remote-binding traffic and needs a token. */
export const OAUTH_PATHS = {
  AUTHORIZE: "/oauth/authorize",
  /** Where Cloudflare Access sends the browser back: register `<proxy>/oauth/callback` there. */
  CALLBACK: "/oauth/callback",
  /** Token requests, refresh and RFC 7009 revocation. */
  TOKEN: "/oauth/token",
  /** RFC 7591 dynamic client registration. */
  REGISTER: "/oauth/register",
} as const;
