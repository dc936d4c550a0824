// A thin HTTP client for the benchmark driver (loopback only).

export interface Run {
  runId: string;
  status: string;
  output?: unknown;
  createdAt: string;
  finishedAt?: string;
  hooks: { token?: string; resumeUrl?: string }[];
}

export class BenchClient {
  constructor(readonly url: string) {}

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response = await fetch(`${this.url}${path}`, init);
    // 503 unavailable asks for a retry (Retry-After); only reads and keyed starts are safe to repeat.
    const retryable = !init.method || init.method === "GET" || new Headers(init.headers).has("idempotency-key");
    for (let retry = 0; retryable && response.status === 503 && retry < 5; retry++) {
      await response.text();
      await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(response.headers.get("retry-after") ?? 1)));
      response = await fetch(`${this.url}${path}`, init);
    }
    const text = await response.text();
    const fail = (why: string) => new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${why}`);
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch {
      // An HTML error page or a runtime message (e.g. a reload mid-request): keep its text.
      throw fail(
        text
          .replace(/<(style|script)[\s\S]*?<\/\1>/g, " ")
          .replace(/<[^>]*>/g, " ")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 200),
      );
    }
    if (response.status >= 400) throw fail(JSON.stringify(body));
    return body;
  }

  start(slug: string, input: unknown, wait?: number): Promise<Run> {
    return this.json(`/workflows/${slug}${wait === undefined ? "" : `?wait=${wait}`}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
  }

  get(runId: string, wait?: number): Promise<Run> {
    return this.json(`/runs/${runId}${wait === undefined ? "" : `?wait=${wait}`}`);
  }

  events(runId: string): Promise<{ events: { type: string; at: number; stepId?: string; wakeAt?: number }[] }> {
    return this.json(`/runs/${runId}/events?limit=1000`);
  }

  resume(token: string, payload: unknown = {}): Promise<unknown> {
    return this.json(`/hooks/${token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
  }

  /** Polls until the run reaches one of `statuses` (for statuses `?wait` does not cover). */
  async until(runId: string, statuses: string[], timeoutMs = 60_000): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.get(runId);
      if (statuses.includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}
