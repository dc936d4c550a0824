import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { fireAlarmsUntil, getRun, request, runStub, startRun, waitForStatus } from "./helpers.ts";

const key = () => crypto.randomUUID();

async function openHook(runId: string) {
  const run = await waitForStatus(runId, ["waiting_on_hook"]);
  const hook = run.hooks[0];
  if (!hook?.token || !hook.resumeUrl) throw new Error(`no open hook on ${runId}: ${JSON.stringify(run)}`);
  return { run, token: hook.token, path: new URL(hook.resumeUrl).pathname };
}

describe("ctx.sleep", () => {
  it("sleeps on a timer and wakes when the alarm fires, not by waiting", async () => {
    const k = key();
    const runId = await startRun("fixture-sleeper", { key: k, duration: "30 days" });
    const sleeping = await waitForStatus(runId, ["sleeping"]);
    const wakeAt = Date.parse(sleeping.wakeAt!);
    expect(wakeAt - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await sideEffectCount(`${k}:after`)).toBe(0);
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.status).toBe("success");
    expect(await sideEffectCount(`${k}:before`)).toBe(1);
    expect(await sideEffectCount(`${k}:after`)).toBe(1);
    const events = (await (await request(`/runs/${runId}/events`)).json()) as { events: { type: string }[] };
    expect(events.events.map((e) => e.type)).toContain("sleep_completed");
  });

  it("fails the run with a clear error for an invalid duration", async () => {
    const runId = await startRun("fixture-sleeper", { key: key(), duration: "soon-ish" });
    const run = await waitForStatus(runId, ["failed", "success"]);
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain('invalid duration "soon-ish"');
  });
});

describe("ctx.hook", () => {
  it("resumes by POST with a JSON body and continues the run", async () => {
    const k = key();
    const runId = await startRun("fixture-approver", { key: k });
    const { path, run } = await openHook(runId);
    expect(run.status).toBe("waiting_on_hook");
    const response = await request(path, { json: { approved: true } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, runId });
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.output).toEqual({ decision: "approved" });
    expect(await sideEffectCount(`${k}:after`)).toBe(1);
  });

  it("resumes from a link's query parameters coerced by the schema, once its confirmation page is posted", async () => {
    const runId = await startRun("fixture-approver", { key: key() });
    const { path } = await openHook(runId);
    const page = await request(`${path}?approved=false&count=3`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm and record");
    const response = await request(`${path}?approved=false&count=3`, {
      method: "POST",
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      body: "approved=false&count=3",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Thanks, recorded");
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.output).toEqual({ decision: "rejected" });
  });

  it("rejects a payload that fails the schema and keeps the hook open", async () => {
    const runId = await startRun("fixture-approver", { key: key() });
    const { path } = await openHook(runId);
    const bad = await request(path, { json: { approved: "maybe" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_hook_payload");
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
    const good = await request(path, { json: { approved: true } });
    expect(good.status).toBe(200);
    expect((await waitForStatus(runId, ["success"])).output).toEqual({ decision: "approved" });
  });

  it("answers 409 to a second resume", async () => {
    const runId = await startRun("fixture-approver", { key: key() });
    const { path } = await openHook(runId);
    expect((await request(path, { json: { approved: true } })).status).toBe(200);
    const second = await request(path, { json: { approved: false } });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("hook_already_resumed");
    expect((await waitForStatus(runId, ["success"])).output).toEqual({ decision: "approved" });
  });

  it("answers 404 to unknown and forged tokens without touching the run", async () => {
    const runId = await startRun("fixture-approver", { key: key() });
    const { token } = await openHook(runId);
    const forgedSecret = `${token.slice(0, 65)}${"0".repeat(32)}`;
    const forgedObject = `${"a".repeat(64)}-${token.slice(65)}`;
    for (const candidate of [forgedSecret, forgedObject, "nonsense", `${token}x`]) {
      const response = await request(`/hooks/${candidate}`, { json: { approved: true } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("hook_not_found");
    }
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
  });

  it("keeps a resume that arrives before the run awaits the hook", async () => {
    const k = key();
    const runId = await startRun("fixture-early-hook", { key: k });
    const run = await waitForStatus(runId, ["sleeping"]);
    const hook = run.hooks[0]!;
    expect((await request(new URL(hook.resumeUrl!).pathname, { json: { value: 42 } })).status).toBe(200);
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(done.output).toEqual({ value: 42 });
  });

  it("throws HookTimeoutError into the workflow when the timeout passes", async () => {
    const runId = await startRun("fixture-approver", { key: key(), timeout: "24h" });
    const { path } = await openHook(runId);
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.output).toEqual({ decision: "timed out: HookTimeoutError" });
    const late = await request(path, { json: { approved: true } });
    expect(late.status).toBe(404);
  });

  it("closes the hooks of a canceled run", async () => {
    const runId = await startRun("fixture-approver", { key: key() });
    const { path } = await openHook(runId);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST" })).status).toBe(200);
    const response = await request(path, { json: { approved: true } });
    expect(response.status).toBe(404);
    expect((await getRun(runId)).status).toBe("canceled");
  });

  it("races a hook against a sleep and takes whichever happened first", async () => {
    const runId = await startRun("fixture-race", { key: key() });
    await waitForStatus(runId, ["waiting_on_hook"]);
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.output).toEqual({ winner: "sleep" });
  });

  it("answers a waiter for a status only once the alarm that status waits on is armed", async () => {
    // A waiter used to hear the new status while the pass was still pushing it to the history, before
    // the sleep's alarm was set: firing the alarm right then found none.
    const runIds = await Promise.all(Array.from({ length: 20 }, () => startRun("fixture-race", { key: key() })));
    for (const runId of runIds) {
      await waitForStatus(runId, ["waiting_on_hook"]);
      const alarm = await runInDurableObject(runStub(runId), (_instance, state) => state.storage.getAlarm());
      expect(alarm).not.toBeNull();
    }
  });
});
