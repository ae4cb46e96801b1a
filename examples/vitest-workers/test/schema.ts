import { env } from "cloudflare:workers";
import { SCHEMA } from "../src/index";

/** The remote D1 database starts empty in CI: every test file makes sure the table exists. */
export async function createSchema(): Promise<void> {
  await env.DB.exec(SCHEMA);
}
