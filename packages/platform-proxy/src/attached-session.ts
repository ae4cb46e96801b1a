// What `access-bridge run` tells the processes it starts: the remote and the name of the proxy
// client it runs, so that each getPlatformProxy() in them joins that one session (one remote,
// one embedded remote's data, one proxy client) instead of starting its own. No secret: the
// credentials stay with the proxy client's wrangler.
export const SESSION_VARIABLE = "ACCESS_BRIDGE_PLATFORM_SESSION";

export interface AttachedSession {
  remoteUrl: string;
  clientWorkerName: string;
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
  return parsed as AttachedSession;
}
