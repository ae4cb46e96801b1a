import type { Greeting } from "../greeter/index.js";
import type { Entry } from "../worker/guestbook.js";

/** What GET /api/board answers. */
export interface Board {
  apiVersion: string;
  greeting: Greeting;
  entries: Entry[];
  visits: number;
}

export async function fetchBoard(): Promise<Board> {
  const response = await fetch("/api/board?name=visitor");
  if (!response.ok) throw new Error(`GET /api/board answered ${response.status}`);
  return (await response.json()) as Board;
}

export async function signGuestbook(author: string, message: string): Promise<Entry> {
  const response = await fetch("/api/entries", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ author, message }),
  });
  if (!response.ok) throw new Error(`POST /api/entries answered ${response.status}`);
  return (await response.json()) as Entry;
}
