// The remote a session's carried bindings go to: the deployed one it was given, with the
// credentials for it, or an embedded one on loopback (which brings its own). The embedded one is
// opened before it is started: its address (a front door this process holds) and its service
// token are known at once, so a tool can write its config and start wrangler while the remote
// starts beside it (issue 23), and an early call waits at the door rather than failing.
import { newServiceToken } from "@access-bridge/conventions";
import type { AccessCredentials, AccessCredentialSource } from "@access-bridge/remote-bindings";
import { resolveSessionCredentials } from "./credentials/session-credentials.js";
import type { StoredSignIn } from "./credentials/stored-sign-in.js";
import { openFrontDoor } from "./embedded-remote/front-door.js";
import type { EmbeddedRemote } from "./embedded-remote/start-embedded-remote.js";
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

export interface OpenedSessionRemote extends Omit<SessionRemote, "embedded"> {
  /** True when this is an embedded remote (which `start` starts). */
  embedded: boolean;
  /**
   * Starts the embedded remote (the first call does; every call returns the same promise) and
   * resolves once it answers (rejects with its ERR_START if it does not, and closes the door).
   * A deployed remote resolves at once. Not started by opening: a tool starts wrangler first,
   * since loading Miniflare for the remote would delay wrangler's start on a busy CPU.
   */
  start(): Promise<SessionRemote>;
  /** Stops the embedded remote, started or still starting, and closes its door. */
  dispose(): Promise<void>;
}

type RemoteOptions = { env: NodeJS.ProcessEnv; state: "fresh" | "kept" };

export async function openSessionRemote(
  project: Pick<Project, "remoteUrl" | "carried" | "dir">,
  options: RemoteOptions,
): Promise<OpenedSessionRemote> {
  if (project.remoteUrl !== undefined) {
    const remote: SessionRemote = {
      url: project.remoteUrl,
      ...(await resolveSessionCredentials(project.remoteUrl, options.env)),
    };
    const ready = Promise.resolve(remote);
    return { ...remote, embedded: false, start: () => ready, dispose: async () => {} };
  }
  const door = await openFrontDoor();
  const credentials = newServiceToken();
  let starting: Promise<EmbeddedRemote> | undefined;
  let ready: Promise<SessionRemote> | undefined;
  const start = () => {
    starting ??= (async () => {
      // Loaded here, not at the top: Miniflare and esbuild take seconds to import.
      const { startEmbeddedRemote } = await import("./embedded-remote/start-embedded-remote.js");
      return startEmbeddedRemote({
        carried: project.carried,
        configDir: project.dir,
        state: options.state,
        serviceToken: credentials,
      });
    })();
    ready ??= starting.then(
      (embedded): SessionRemote => {
        door.open(embedded.url);
        return { url: door.url, credentials, source: "embedded", embedded };
      },
      (error: unknown) => {
        door.fail();
        throw error;
      },
    );
    // Awaited by whoever needs it; a failure nobody awaited yet must not end the process.
    ready.catch(() => {});
    return ready;
  };
  return {
    url: door.url,
    credentials,
    source: "embedded",
    embedded: true,
    start,
    async dispose() {
      const embedded = await starting?.catch(() => undefined);
      await embedded?.dispose();
      await door.close();
    },
  };
}
