/** The path of `access-bridge remote` that answers with its origin Worker's `ctx.access`. */
export const IDENTITY_PATH = "/__access-bridge/identity";
