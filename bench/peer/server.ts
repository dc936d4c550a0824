// Each peer phase on its own fresh `wrangler dev`, so one phase's leftovers (timers, objects in
// memory, a Worker restart) cannot spoil the next; a phase cut short by the runtime restarting
// the Worker mid-request runs once more on a fresh server, and its output is kept for the record.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, startDevServer } from "../../test/support/wrangler-dev.ts";
import { BENCH_CONFIG } from "./http.ts";

const RESTARTED = /restarted mid-request|stream disconnected|fetch failed|ECONNRESET/;

export async function onFreshServer<T>(
  phase: string,
  log: (line: string) => void,
  work: (server: DevServer) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const server = await startDevServer({ config: BENCH_CONFIG });
    try {
      return await work(server);
    } catch (error) {
      const path = join(tmpdir(), `cairn-peer-${phase.replace(/\W+/g, "-")}-${Date.now()}.log`);
      writeFileSync(path, server.logs());
      const again = attempt < 2 && RESTARTED.test(String(error));
      log(
        `peer: ${phase} failed (${String(error).slice(0, 160)}); wrangler dev output in ${path}${again ? "; once more" : ""}`,
      );
      if (!again) throw error;
    } finally {
      await server.stop();
    }
  }
}
