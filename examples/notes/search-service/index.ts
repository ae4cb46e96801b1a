// The search service the notes app calls over RPC (a service binding with methods). This
// version keeps its index in memory, which is enough for a stand-in; deployed, it would keep it
// in a store of its own.
import { WorkerEntrypoint } from "cloudflare:workers";

export interface SearchHit {
  id: number;
  score: number;
}

const index = new Map<number, Set<string>>();

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

export default class SearchService extends WorkerEntrypoint {
  override async fetch(): Promise<Response> {
    return new Response("The notes search service speaks RPC: index(id, text), search(query).");
  }

  index(id: number, text: string): number {
    index.set(id, words(text));
    return index.size;
  }

  remove(id: number): boolean {
    return index.delete(id);
  }

  search(query: string): SearchHit[] {
    const wanted = [...words(query)];
    if (wanted.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const [id, terms] of index) {
      const score = wanted.filter((word) => terms.has(word)).length;
      if (score > 0) hits.push({ id, score });
    }
    return hits.sort((a, b) => b.score - a.score || b.id - a.id);
  }
}
