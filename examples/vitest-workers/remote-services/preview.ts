// A stand-in for the links-preview Worker (deployed on its own, reached by a service binding):
// it answers fetch() and RPC. `access-bridge remote` runs it behind the proxy server.
import { WorkerEntrypoint } from "cloudflare:workers";

export interface Preview {
  url: string;
  title: string;
}

export default class PreviewService extends WorkerEntrypoint {
  override async fetch(request: Request): Promise<Response> {
    return new Response(`links-preview: ${new URL(request.url).pathname}`);
  }

  preview(url: string): Preview {
    return { url, title: new URL(url).hostname };
  }
}
