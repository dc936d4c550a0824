// The fake providers (fake-providers.ts) served by node:http on 127.0.0.1, for the unit tests:
// the integrations' real fetch crosses a real socket to them.
import { createServer, type Server } from "node:http";
import { createFakeProviders, type FakeProviders, toResponse } from "./fake-providers.ts";

export interface FakeProviderServer extends FakeProviders {
  url: string;
  /** Requests the server holds unanswered (for timeouts); they are released on close. */
  hang(count: number): void;
  close(): Promise<void>;
}

export async function startFakeProviderServer(): Promise<FakeProviderServer> {
  const fakes = createFakeProviders();
  let hanging = 0;
  const held = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
      const request = { method: req.method ?? "GET", path: req.url ?? "/", headers, body };
      if (hanging > 0) {
        hanging--;
        fakes.requests.push(request);
        held.add(() => res.destroy());
        return;
      }
      const response = toResponse(fakes.handle(request));
      res.statusCode = response.status;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    ...fakes,
    url,
    hang: (count) => {
      hanging += count;
    },
    close: () => {
      for (const release of held) release();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
