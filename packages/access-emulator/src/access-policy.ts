import type { ApplicationType } from "./options.js";

export interface AccessPolicy {
  type: ApplicationType;
  allowedEmails: string[];
  allowedEmailDomains: string[];
}

/** The Allow rule for people: listed emails or domains, or everyone when none is listed. */
export function isEmailAllowed(policy: AccessPolicy, email: string): boolean {
  const normalized = email.trim().toLowerCase();
  if (policy.allowedEmails.length === 0 && policy.allowedEmailDomains.length === 0) return true;
  const domain = normalized.slice(normalized.lastIndexOf("@") + 1);
  return policy.allowedEmails.includes(normalized) || policy.allowedEmailDomains.includes(domain);
}
