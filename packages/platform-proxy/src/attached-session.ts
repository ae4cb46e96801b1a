// What `access-bridge run` tells the processes it starts: the remote and the name of the proxy
// client it runs, so that each getPlatformProxy() in them joins that one session (one remote,
// one embedded remote's data, one proxy client) instead of starting its own. No secret: the
// credentials stay with the proxy client's wrangler.
import {
  accessCredentialSource,
  type AccessCredentialSource,
} from "@access-bridge/remote-bindings";

export const SESSION_VARIABLE = "ACCESS_BRIDGE_PLATFORM_SESSION";

export interface AttachedSession {
  remoteUrl: string;
  clientWorkerName: string;
  /**
   * Where run's credential came from (not a secret). A process that joins writes the session's
   * generated configs again, and they must come out the same, or run's proxy client reloads.
   */
  credentialSource?: AccessCredentialSource;
}

export function encodeSession(session: AttachedSession): string {
  return JSON.stringify(session);
}

export function attachedSession(env: NodeJS.ProcessEnv = process.env): AttachedSession | undefined {
  const value = env[SESSION_VARIABLE];
  if (value === undefined || value === "") return undefined;
  const parsed = JSON.parse(value) as Partial<AttachedSession>;
  if (typeof parsed.remoteUrl !== "string" || typeof parsed.clientWorkerName !== "string") {
    return undefined;
  }
  const credentialSource = accessCredentialSource(parsed.credentialSource);
  return {
    remoteUrl: parsed.remoteUrl,
    clientWorkerName: parsed.clientWorkerName,
    ...(credentialSource === undefined ? {} : { credentialSource }),
  };
}
