import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  EXAMPLE_CONFIG,
  REPO_ROOT,
  startCli,
  stillRunningAfter,
  workerdChildren,
} from "./support/cli-process.js";
import { startNotesRemote } from "./support/notes-remote.js";

async function addNote(base: string, title: string, body: string, file?: string) {
  const form = new FormData();
  form.set("title", title);
  form.set("body", body);
  if (file !== undefined)
    form.set("attachment", new Blob([file], { type: "text/plain" }), "todo.txt");
  return fetch(new URL("/notes", base), {
    method: "POST",
    body: form,
    headers: { accept: "application/json" },
  });
}

describe("access-bridge dev", () => {
  it("runs the example against the embedded remote, logs requests, and leaves no workerd behind on Ctrl-C", async () => {
    const cli = startCli(["dev", "--config", EXAMPLE_CONFIG, "--port", "0"]);
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(cli.stdout()).toMatch(
      /embedded remote on loopback behind an emulated Cloudflare Access.*--remote-url/,
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
    const page = await fetch(url!);
    expect(await page.text()).toContain("Team notes");
    await cli.waitFor(/GET \/ 200 \d+ms/);
    expect(cli.stdout()).toMatch(/POST \/notes 201 \d+ms/);
    expect(cli.stdout()).not.toMatch(/bread/);

    const children = workerdChildren(cli.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    const ended = await cli.stop("SIGINT");
    expect(ended.code).toBe(130);
    expect(cli.stdout()).toContain("Shutting down.");
    expect(await stillRunningAfter(children)).toEqual([]);
  });

  it("reaches a remote started separately behind Access with a service token from the environment", async () => {
    const access = await startNotesRemote();
    const token = access.createServiceToken();
    const cli = startCli(
      ["dev", "--config", EXAMPLE_CONFIG, "--port", "0", "--remote-url", access.url],
      {
        env: {
          CLOUDFLARE_ACCESS_CLIENT_ID: token.clientId,
          CLOUDFLARE_ACCESS_CLIENT_SECRET: token.clientSecret,
        },
      },
    );
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(cli.stdout()).toContain(`Remote bindings (3) go to ${access.url}`);

    expect((await addNote(url!, "Standup", "notes from the standup")).status).toBe(201);
    const found = await fetch(new URL("/search?q=standup", url), {
      headers: { accept: "application/json" },
    });
    expect(await found.json()).toEqual([expect.objectContaining({ title: "Standup" })]);

    expect(access.decisions.length).toBeGreaterThan(0);
    expect(access.decisions.every((decision) => decision.credential === "service_token")).toBe(
      true,
    );
    expect(access.decisions.every((decision) => decision.outcome === "allowed")).toBe(true);
    expect(cli.stdout() + cli.stderr()).not.toContain(token.clientSecret);
  });

  it("without credentials, says that Access blocked the binding and what to set", async () => {
    const access = await startNotesRemote();
    const cli = startCli([
      "dev",
      "--config",
      EXAMPLE_CONFIG,
      "--port",
      "0",
      "--remote-url",
      access.url,
    ]);
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);

    const response = await fetch(new URL("/api/notes", url));
    expect(response.status).toBe(500);
    await cli.waitFor(/no Access credentials were sent/);
    expect(cli.stderr()).toMatch(/remote binding "DB"/);
    expect(cli.stderr()).toContain("CLOUDFLARE_ACCESS_CLIENT_ID");
    expect(access.decisions.every((decision) => decision.outcome === "blocked")).toBe(true);
  });

  it("logs each remote binding call at --log-level debug", async () => {
    const cli = startCli([
      "dev",
      "--config",
      EXAMPLE_CONFIG,
      "--port",
      "0",
      "--log-level",
      "debug",
    ]);
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect((await addNote(url!, "Debug", "one two", "x")).status).toBe(201);
    await cli.waitFor(/POST \/notes 201/);
    expect(cli.stdout()).toMatch(/· DB RPC query ok \d+ms/);
    expect(cli.stdout()).toMatch(/· ATTACHMENTS RPC put ok \d+ms/);
    expect(cli.stdout()).toMatch(/· SEARCH RPC index ok \d+ms/);
  });

  it("reloads when a source file of the Worker changes", async () => {
    const project = mkdtempSync(path.join(tmpdir(), "access-bridge-reload-"));
    cpSync(path.join(REPO_ROOT, "examples/notes"), project, { recursive: true });
    const cli = startCli(["dev", "--port", "0"], { cwd: project });
    const [, url] = await cli.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(await (await fetch(url!)).text()).toContain("Latest notes");

    const page = path.join(project, "src/page.ts");
    writeFileSync(page, readFileSync(page, "utf8").replace('"Latest notes"', '"Newest notes"'));
    await cli.waitFor(/Reloaded after a source change/);
    expect(await (await fetch(url!)).text()).toContain("Newest notes");
  });
});
