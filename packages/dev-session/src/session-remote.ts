// The remote a session's carried bindings go to: the deployed one it was given, with the
// credentials for it, or an embedded one on loopback (which brings its own).
import type { AccessCredentials, AccessCredentialSource } from "@access-bridge/remote-bindings";
import type { EmbeddedRemote } from "./embedded-remote/start-embedded-remote.js";
import { resolveSessionCredentials } from "./credentials/session-credentials.js";
import type { StoredSignIn } from "./credentials/stored-sign-in.js";
import type { Project } from "./resolve-project.js";

export interface SessionRemote {
  url: URL;
  credentials: AccessCredentials | undefined;
  /** Where `credentials` came from (or were looked for), for the proxy client's advice. */
  source: AccessCredentialSource;
  /** The stored `login --remote` sign-in for this remote (OAuth mode). */
  bearer?: StoredSignIn;
  embedded?: EmbeddedRemote;
}

export async function startSessionRemote(
  project: Pick<Project, "remoteUrl" | "carried" | "dir">,
  options: { env: NodeJS.ProcessEnv; state: "fresh" | "kept" },
): Promise<SessionRemote> {
  if (project.remoteUrl !== undefined) {
    return {
      url: project.remoteUrl,
      ...(await resolveSessionCredentials(project.remoteUrl, options.env)),
    };
  }
  // Loaded on first use: Miniflare and esbuild take seconds to import.
  const { startEmbeddedRemote } = await import("./embedded-remote/start-embedded-remote.js");
  const embedded = await startEmbeddedRemote({
    carried: project.carried,
    configDir: project.dir,
    state: options.state,
  });
  return { url: embedded.url, credentials: embedded.credentials, source: "embedded", embedded };
}
