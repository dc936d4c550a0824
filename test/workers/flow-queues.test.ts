// The queues per key of a concurrency-limited workflow, as the API and the dashboard show them.
import { describe, expect, it, vi } from "vitest";
import { getRun, request, startRun, waitForStatus } from "./helpers.ts";
import { freshKey, waitForEvent } from "./flow-helpers.ts";

type Queues = { workflow: string; queues: { key: string; running: number; queued: number }[] };

async function queuesOf(slug: string): Promise<Queues> {
  return (await (await request(`/workflows/${slug}/queues`)).json()) as Queues;
}

describe("queues per key", () => {
  it("lists a key's executing and waiting runs in the API and on the workflow's dashboard page", async () => {
    const key = freshKey("queues");
    // flow-ordered: one at a time per key, holding the slot while it waits on a hook.
    const holder = await startRun("flow-ordered", { key, label: "holder", block: true });
    await waitForStatus(holder, ["waiting_on_hook"]);
    const waiting = await startRun("flow-ordered", { key, label: "waiting" });
    await waitForEvent(waiting, "run_queued");
    expect((await getRun(waiting)).status).toBe("queued");

    // The directory is told a moment after each change: wait for it rather than race it.
    await vi.waitFor(
      async () =>
        expect((await queuesOf("flow-ordered")).queues).toContainEqual(
          expect.objectContaining({ key, running: 1, queued: 1 }),
        ),
      { timeout: 10_000, interval: 100 },
    );
    const page = await (await request("/ui/workflows/flow-ordered")).text();
    const table = page.slice(page.indexOf('data-testid="queues"'));
    expect(table).toContain(key);
    expect(table).toContain("status=queued");

    // Once both finish, the key leaves the list.
    const hook = (await getRun(holder)).hooks[0]!;
    await request(`/hooks/${hook.token}`, { json: {} });
    await waitForStatus(holder, ["success"]);
    await waitForStatus(waiting, ["success"]);
    await vi.waitFor(async () => expect((await queuesOf("flow-ordered")).queues.map((q) => q.key)).not.toContain(key), {
      timeout: 10_000,
      interval: 100,
    });
  });
});
