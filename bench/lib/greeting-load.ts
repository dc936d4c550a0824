// The load the scale benchmarks share: N keyed greeting starts, 100 in flight, then a wait on the
// history's counts (one request every 500 ms) instead of a request held open per run.
import { type BenchClient, pool } from "./client.ts";

/** Starts `runs` greeting runs keyed `<keyPrefix>-<i>` (safe to retry when a connection drops under load). */
export function startGreetings(client: BenchClient, runs: number, keyPrefix: string): Promise<string[]> {
  return pool(
    Array.from({ length: runs }, (_, i) => i),
    100,
    async (i) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return (
            await client.json<{ runId: string }>("/workflows/greeting", {
              method: "POST",
              headers: { "content-type": "application/json", "idempotency-key": `${keyPrefix}-${i}` },
              body: JSON.stringify({ name: `n${i}` }),
            })
          ).runId;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
  );
}

/** Waits (at most 15 minutes) until the history counts `total` finished greeting runs. */
export async function waitForFinishedGreetings(client: BenchClient, total: number): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const { counts } = await client.json<{ counts: Record<string, number> }>("/runs?workflow=greeting&limit=1");
    const done = (counts.success ?? 0) + (counts.failed ?? 0) + (counts.canceled ?? 0);
    if (done >= total || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
