/** Who may sign in: exact emails and whole email domains, both lower-cased. */
export interface AllowList {
  emails: ReadonlySet<string>;
  domains: ReadonlySet<string>;
}

export function parseAllowList(emails: string | undefined, domains: string | undefined): AllowList {
  const split = (value: string | undefined) =>
    (value ?? "")
      .split(/[\s,]+/)
      .map((item) => item.trim().toLowerCase().replace(/^@/, ""))
      .filter((item) => item !== "");
  return { emails: new Set(split(emails)), domains: new Set(split(domains)) };
}

/**
 * Case-insensitive (RFC 5321 leaves the local part's case to the domain; every IdP Access
 * federates to treats it as insensitive, and an allow list that trips on `Ada@` would lock
 * people out). A domain matches only itself: `example.com` does not admit `evil-example.com`
 * or `sub.example.com`.
 */
export function isAllowed(list: AllowList, email: unknown): boolean {
  if (typeof email !== "string") return false;
  const normalised = email.trim().toLowerCase();
  const at = normalised.lastIndexOf("@");
  if (at <= 0 || at === normalised.length - 1) return false;
  return list.emails.has(normalised) || list.domains.has(normalised.slice(at + 1));
}
