// wrangler reads the proxy client's secrets from the environment of this process, for that Worker
// alone (see proxy-client-worker.ts): variables named exactly like its vars win over its .env
// references. So what is not in the environment (a stored token, the token broker's address and
// key, the embedded remote's service token) is lent to it for as long as a dev server needs it.
// Until then a child process the dev server starts inherits them; each is good only for this run
// or for the developer who stored it, and only on loopback or towards the remote it is for.

/** Sets `variables` in process.env; the function returned removes those still set as lent. */
export function lendVariables(variables: Record<string, string>): () => void {
  Object.assign(process.env, variables);
  let returned = false;
  return () => {
    if (returned) return;
    returned = true;
    for (const [name, value] of Object.entries(variables)) {
      if (process.env[name] === value) delete process.env[name];
    }
  };
}
