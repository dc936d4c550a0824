// `ctx.patched` across a deploy (decision 0018): a run recorded by the old code keeps its path
// after the patched code is deployed; a run started on the patched code takes the new path.
import { afterEach, describe, expect, it } from "vitest";
import { deploy } from "../fixtures/call-sites/deploy.ts";
import { patchV1, patchV2 } from "../fixtures/call-sites/patch-workflows.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { fireAlarmsUntil, getRun, startRun, waitForStatus } from "./helpers.ts";

type Step = { id: string; kind: string; status: string; output?: unknown };

async function patchSteps(runId: string): Promise<Step[]> {
  const run = (await getRun(runId)) as unknown as { steps: Step[] };
  return run.steps.filter((step) => step.kind === "patch");
}

afterEach(() => deploy(patchV1));

describe("ctx.patched across a deploy", () => {
  it("keeps a run recorded before the patch on its old path and sends a new run down the new one", async () => {
    deploy(patchV1);
    const oldKey = crypto.randomUUID();
    const oldRun = await startRun("cs-patch", { key: oldKey });
    await waitForStatus(oldRun, ["sleeping"]);

    deploy(patchV2);
    const newKey = crypto.randomUUID();
    const newRun = await startRun("cs-patch", { key: newKey });
    await waitForStatus(newRun, ["sleeping"]);

    const old = await fireAlarmsUntil(oldRun, ["success", "failed", "blocked"]);
    expect(old.output).toEqual({ items: ["first", "old-path", "last"] });
    const fresh = await fireAlarmsUntil(newRun, ["success", "failed", "blocked"]);
    expect(fresh.output).toEqual({ items: ["first", "new-path", "last"] });

    // Each decision is recorded once, as a completed `patch` step, and replayed as recorded.
    expect(await patchSteps(oldRun)).toMatchObject([{ id: "v2-path#0", status: "completed", output: false }]);
    expect(await patchSteps(newRun)).toMatchObject([{ id: "v2-path#0", status: "completed", output: true }]);
    for (const [key, path] of [
      [oldKey, "old-path"],
      [newKey, "new-path"],
    ] as const) {
      expect(await sideEffectCount(`${key}:first`)).toBe(1);
      expect(await sideEffectCount(`${key}:${path}`)).toBe(1);
      expect(await sideEffectCount(`${key}:last`)).toBe(1);
    }
    expect(await sideEffectCount(`${oldKey}:new-path`)).toBe(0);
    expect(await sideEffectCount(`${newKey}:old-path`)).toBe(0);
  });
});
