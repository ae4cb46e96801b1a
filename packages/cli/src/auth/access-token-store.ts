// The Access token store is auth-relay's (one implementation for every token store); the CLI
// adds only how `--access` values are read.
export {
  AccessTokenStore,
  accessTokenDir,
  describeSkipped,
  type StoredAccessToken,
  type UnusableFile as SkippedAccessToken,
} from "@access-bridge/auth-relay";

/** `--access proxy.example.workers.dev` or `--access https://proxy.example.workers.dev/`. */
export function accessAppUrl(value: string): URL | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}
