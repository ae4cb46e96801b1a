// `access-bridge dev` on the example of `npm start`, as a user runs it: the user's wrangler dev
// with the remote bindings through the embedded remote or a remote behind Access, and every way
// it can end — Ctrl-C, SIGTERM, wrangler exiting by itself, a failed start — leaving nothing
// behind (the sandbox fails the test on a leftover process or temp file).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { childrenOf, EXAMPLE_DIR, READY, sandbox } from "@access-bridge/test-support/cli-process";
import { startNotesRemote } from "./support/notes-remote.js";

async function addNote(base: string, title: string, body: string, file?: string) {
  const form = new FormData();
  form.set("title", title);
  form.set("body", body);
  if (file !== undefined) {
    form.set("attachment", new Blob([file], { type: "text/plain" }), "todo.txt");
  }
  return fetch(new URL("/notes", base), {
    method: "POST",
    body: form,
    headers: { accept: "application/json" },
  });
}

async function eventually(probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("access-bridge dev", () => {
  it("runs the example against the embedded remote, and Ctrl-C leaves nothing behind", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const cli = box.startCli(["dev", "--port", "0"], { cwd: project });
    const [, url] = await cli.waitFor(READY);
    expect(cli.stdout()).toMatch(
      /Remote bindings \(3: .*\) go to an embedded remote on loopback behind an emulated Cloudflare Access.*--remote-url/,
    );

    const created = await addNote(url!, "Groceries", "buy oat milk and bread", "oat milk\nbread\n");
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const found = await fetch(new URL("/search?q=bread", url), {
      headers: { accept: "application/json" },
    });
    expect(await found.json()).toEqual([
      expect.objectContaining({ id, title: "Groceries", attachment: "todo.txt" }),
    ]);
    const attachment = await fetch(new URL(`/notes/${id}/attachment`, url));
    expect(await attachment.text()).toBe("oat milk\nbread\n");
    expect(await (await fetch(url!)).text()).toContain("Team notes");
    // wrangler's own request log.
    await cli.waitFor(/POST \/notes 201/);

    expect((await cli.stop("SIGINT")).code).toBe(130);
  });

  it("reaches a remote started separately behind Access with a service token from the environment", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const access = await startNotesRemote();
    const token = access.createServiceToken();
    const cli = box.startCli(["dev", "--port", "0", "--remote-url", access.url], {
      cwd: project,
      env: {
        CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
        CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
      },
    });
    const [, url] = await cli.waitFor(READY);
    expect(cli.stdout()).toContain(
      `Remote bindings (3: SEARCH, ATTACHMENTS, DB) go to ${access.url}, with an Access service token (client id ${token.clientId.slice(0, 8)}…).`,
    );
    expect((await addNote(url!, "Standup", "notes from the standup")).status).toBe(201);
    const found = await fetch(new URL("/search?q=standup", url), {
      headers: { accept: "application/json" },
    });
    expect(await found.json()).toEqual([expect.objectContaining({ title: "Standup" })]);
    expect(access.decisions.length).toBeGreaterThan(0);
    for (const decision of access.decisions) {
      expect(decision).toMatchObject({ credential: "service_token", outcome: "allowed" });
    }
    expect((await cli.stop("SIGTERM")).code).toBe(143);
    expect(cli.stdout() + cli.stderr()).not.toContain(token.clientSecret);
    const generated = path.join(project, ".wrangler/access-bridge/dev");
    for (const file of ["wrangler.json", "proxy-client/wrangler.json", "proxy-client/.env"]) {
      expect(readFileSync(path.join(generated, file), "utf8")).not.toContain(token.clientSecret);
    }
    // dev's files are its own: the ones a printed `wrangler-config` line runs are not touched.
    expect(existsSync(path.join(project, ".wrangler/access-bridge/wrangler.json"))).toBe(false);
  });

  it("without credentials, the Worker's log says that Access blocked the binding and what to set", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const access = await startNotesRemote();
    const cli = box.startCli(["dev", "--port", "0", "--remote-url", access.url], { cwd: project });
    const [, url] = await cli.waitFor(READY);
    expect(cli.stdout()).toContain("with no Access credentials.");
    const response = await fetch(new URL("/api/notes", url));
    expect(response.status).toBe(500);
    await cli.waitFor(/\[access-bridge\] .*no Access credentials were sent/);
    expect(cli.stdout() + cli.stderr()).toMatch(/remote binding "DB"/);
    expect(cli.stdout() + cli.stderr()).toContain("CLOUDFLARE_ACCESS_CLIENT_ID");
    expect(access.decisions.every((decision) => decision.outcome === "blocked")).toBe(true);
  });

  it("picks up an edit of the wrangler config (wrangler reloads the generated one)", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const cli = box.startCli(["dev", "--port", "0"], { cwd: project });
    const [, url] = await cli.waitFor(READY);
    expect(await (await fetch(url!)).text()).toContain("Team notes");
    const config = path.join(project, "wrangler.jsonc");
    writeFileSync(config, readFileSync(config, "utf8").replace('"Team notes"', '"Our notes"'));
    await eventually(async () => (await (await fetch(url!)).text()).includes("Our notes"));
  });

  it("on a terminal, wrangler's keyboard shortcuts work: x stops wrangler, then access-bridge", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const cli = box.startCliInTerminal(["dev", "--port", "0"], { cwd: project });
    await cli.waitFor(READY);
    cli.child.stdin!.write("x");
    await cli.waitFor(/Shutting down local server/);
    expect((await cli.exited).code).toBe(0);
  });

  it("exits with wrangler's code, and stops the embedded remote, when wrangler exits by itself", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const cli = box.startCli(["dev", "--port", "0"], { cwd: project });
    await cli.waitFor(READY);
    const wrangler = childrenOf(cli.child.pid!).find((child) => child.command.includes("wrangler"));
    expect(wrangler).toBeDefined();
    process.kill(wrangler!.pid, "SIGTERM");
    expect((await cli.exited).code).toBe(143);
  });

  it("a Worker that fails to start: wrangler's error, a non-zero exit, nothing left running", async () => {
    const box = sandbox();
    const project = box.project(EXAMPLE_DIR);
    const entry = path.join(project, "src/index.ts");
    writeFileSync(entry, `throw new Error("broken at start");\n${readFileSync(entry, "utf8")}`);
    const { code, stdout, stderr } = await box.runCli(["dev", "--port", "0"], { cwd: project });
    expect(code).not.toBe(0);
    expect(stdout + stderr).toContain("broken at start");
  });
});
