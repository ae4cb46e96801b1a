import { execFile, spawn } from "node:child_process";
import { AuthRelayError } from "./errors.js";

export interface CloudflaredLoginOptions {
  /** The Access-protected host, e.g. `proxy.example.workers.dev`, or its https URL. */
  host: string;
  /** The executable to run; `cloudflared` from PATH by default. */
  cloudflared?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `access-bridge login --access <host>`: Cloudflare Access issues user tokens through its own
 * CLI flow (the browser opens `<app>/cdn-cgi/access/cli`, and cloudflared collects the token
 * from Cloudflare's transfer service), so we delegate to `cloudflared access login`, then read
 * the token with `cloudflared access token`. The token is returned for `cf-access-token` use;
 * cloudflared keeps its own copy.
 */
export async function loginWithCloudflared(options: CloudflaredLoginOptions): Promise<string> {
  const url = appUrl(options.host);
  const command = options.cloudflared ?? "cloudflared";
  const env = options.env ?? process.env;
  // Interactive: cloudflared prints the URL and opens the browser itself, so it owns the terminal.
  // Its stdout would echo the token, so only stderr (the prompts) is passed through.
  const status = await new Promise<number | "missing">((resolve) => {
    const child = spawn(command, ["access", "login", url], {
      env,
      stdio: ["inherit", "ignore", "inherit"],
    });
    child.once("error", () => resolve("missing"));
    child.once("exit", (code) => resolve(code ?? 1));
  });
  if (status === "missing") {
    throw new AuthRelayError("ERR_CLOUDFLARED_FAILED", {
      what: `Could not run "${command}".`,
      why: "`--access` delegates to cloudflared, and it is not on PATH.",
      fix: "Install cloudflared (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/) or use a service token.",
    });
  }
  if (status !== 0) throw failed(url, `cloudflared access login exited with ${status}`);
  const token = await new Promise<string>((resolve, reject) =>
    execFile(command, ["access", "token", `-app=${url}`], { env }, (error, stdout) =>
      error ? reject(failed(url, "cloudflared access token failed")) : resolve(stdout.trim()),
    ),
  );
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw failed(url, "cloudflared printed no token");
  }
  return token;
}

function appUrl(host: string): string {
  const url = new URL(/^https?:\/\//.test(host) ? host : `https://${host}`);
  if (url.protocol !== "https:") {
    throw new AuthRelayError("ERR_INVALID_OPTION", {
      what: `The Access application "${host}" is not an https URL.`,
      why: "Cloudflare Access only protects https hosts.",
      fix: "Pass --access with the host name, e.g. --access proxy.example.workers.dev.",
    });
  }
  return url.origin;
}

function failed(url: string, why: string): AuthRelayError {
  return new AuthRelayError("ERR_CLOUDFLARED_FAILED", {
    what: `Could not obtain an Access token for ${url} through cloudflared.`,
    why: `${why}.`,
    fix: `Run \`cloudflared access login ${url}\` yourself to see its output.`,
  });
}
