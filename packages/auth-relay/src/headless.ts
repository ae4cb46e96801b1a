import { existsSync } from "node:fs";

/**
 * Why a browser on this machine probably cannot reach a localhost callback here. Each reason
 * names the signal, so `whoami`/`login` output can say why the relay was chosen.
 */
export function headlessReasons(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  fileExists: (file: string) => boolean = existsSync,
): string[] {
  const reasons: string[] = [];
  if (env.SSH_CONNECTION || env.SSH_CLIENT || env.SSH_TTY) reasons.push("running over SSH");
  if (env.CODESPACES === "true") reasons.push("running in GitHub Codespaces");
  if (env.GITPOD_WORKSPACE_ID) reasons.push("running in Gitpod");
  if (env.REMOTE_CONTAINERS === "true" || env.DEVCONTAINER === "true")
    reasons.push("running in a dev container");
  if (env.container || fileExists("/.dockerenv") || fileExists("/run/.containerenv")) {
    reasons.push("running in a container");
  }
  if (platform === "linux" && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    reasons.push("no display (DISPLAY/WAYLAND_DISPLAY unset)");
  return reasons;
}
