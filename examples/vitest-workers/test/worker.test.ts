// The Worker end to end: its fetch handler gets the same remote bindings.
import { exports } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { createSchema } from "./schema";

beforeAll(createSchema);

it("shortens a link and redirects a visit, with every binding remote", async () => {
  const created = await exports.default.fetch("https://links.example.com/links", {
    method: "POST",
    body: JSON.stringify({ url: "https://developers.cloudflare.com/workers/" }),
  });
  expect(created.status).toBe(201);
  const { slug, short, title } = await created.json<{
    slug: string;
    short: string;
    title: string;
  }>();
  expect(short).toBe(`https://links.example.com/${slug}`);
  expect(title).toBe("developers.cloudflare.com");

  const visit = await exports.default.fetch(`https://links.example.com/${slug}`, {
    redirect: "manual",
  });
  expect(visit.status).toBe(302);
  expect(visit.headers.get("location")).toBe("https://developers.cloudflare.com/workers/");
});

it("answers 404 for a link nobody made", async () => {
  const response = await exports.default.fetch("https://links.example.com/nothing-here");
  expect(response.status).toBe(404);
});
