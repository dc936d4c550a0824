// Step logs in plain Node: the bounds (lines, bytes, line length), redaction of secrets, and the
// capture through the pure driver (per attempt, parallel steps apart, ctx.log once across replays).
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow } from "cairn-workflows/workflow";
import type { RunEvent } from "../../sdk/engine/events.ts";
import {
  cutLine,
  envSecretValues,
  MAX_LOG_BYTES_PER_ATTEMPT,
  MAX_LOG_LINE_BYTES,
  MAX_LOG_LINES_PER_ATTEMPT,
  REDACTED,
  redact,
  setLogSecretSource,
  StepLogBuffer,
} from "../../sdk/engine/step-logs.ts";

const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

afterEach(() => setLogSecretSource(() => []));

describe("bounding", () => {
  it("keeps at most MAX_LOG_LINES_PER_ATTEMPT lines, then says how many were dropped", () => {
    const buffer = new StepLogBuffer([]);
    for (let i = 0; i < MAX_LOG_LINES_PER_ATTEMPT + 7; i++) buffer.write("info", `line ${i}`, 1);
    const lines = buffer.take()!;
    expect(lines).toHaveLength(MAX_LOG_LINES_PER_ATTEMPT + 1);
    expect(lines[MAX_LOG_LINES_PER_ATTEMPT - 1]?.message).toBe(`line ${MAX_LOG_LINES_PER_ATTEMPT - 1}`);
    expect(lines.at(-1)).toEqual({ level: "warn", at: 1, message: "… 7 more lines dropped" });
  });

  it("keeps at most MAX_LOG_BYTES_PER_ATTEMPT bytes of messages", () => {
    const buffer = new StepLogBuffer([]);
    const line = "y".repeat(1_500);
    for (let i = 0; i < 40; i++) buffer.write("info", line);
    const lines = buffer.take()!;
    const kept = lines.slice(0, -1);
    expect(kept.reduce((sum, l) => sum + bytes(l.message), 0)).toBeLessThanOrEqual(MAX_LOG_BYTES_PER_ATTEMPT);
    expect(kept).toHaveLength(Math.floor(MAX_LOG_BYTES_PER_ATTEMPT / 1_500));
    expect(lines.at(-1)?.message).toBe(`… ${40 - kept.length} more lines dropped`);
  });

  it("cuts a long line at MAX_LOG_LINE_BYTES on a character boundary and says how long it was", () => {
    const long = "é".repeat(3_000); // 6,000 bytes
    const cut = cutLine(long);
    expect(bytes(cut)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
    expect(cut.endsWith("… [cut: 6000 bytes]")).toBe(true);
    expect(cut.startsWith("éé")).toBe(true);
    expect(cutLine("short")).toBe("short");
  });

  it("ignores lines written after the attempt's lines were taken", () => {
    const buffer = new StepLogBuffer([]);
    buffer.write("info", "in time");
    expect(buffer.take()).toHaveLength(1);
    buffer.write("info", "too late");
    expect(buffer.take()).toHaveLength(1);
  });

  it("has nothing to store when nothing was logged", () => {
    expect(new StepLogBuffer([]).take()).toBeUndefined();
  });
});

describe("redaction", () => {
  it("replaces every occurrence of a secret, the longest secret first", () => {
    expect(redact("a=sk-12345 b=sk-12345-long", ["sk-12345", "sk-12345-long"])).toBe(`a=${REDACTED} b=${REDACTED}`);
  });

  it("leaves values shorter than four characters alone", () => {
    expect(redact("a b c", ["a"])).toBe("a b c");
  });

  it("redacts credential values handed to the step and the environment's secret values", () => {
    const buffer = new StepLogBuffer(["env-token-value"]);
    buffer.addSecrets({ slack: { token: "xoxb-secret-1", team: { id: "T-nested-9" } } });
    buffer.write("info", "token xoxb-secret-1 env env-token-value team T-nested-9");
    expect(buffer.take()?.[0]?.message).toBe(`token ${REDACTED} env ${REDACTED} team ${REDACTED}`);
  });

  it("redacts before cutting, so a cut never leaves part of a secret", () => {
    const secret = "s".repeat(100);
    const buffer = new StepLogBuffer([secret]);
    buffer.write("info", `${"x".repeat(MAX_LOG_LINE_BYTES - 50)}${secret}`);
    expect(buffer.take()?.[0]?.message).not.toContain("ssss");
  });

  it("takes secret values from variables named *_KEY, *_TOKEN, *_SECRET and *PASSWORD only", () => {
    expect(
      envSecretValues({
        OPENAI_API_KEY: "k1",
        GITHUB_TOKEN: "t1",
        WEBHOOK_SECRET: "s1",
        DB_PASSWORD: "p1",
        PUBLIC_URL: "https://x",
        RUNS: {},
      }).sort(),
    ).toEqual(["k1", "p1", "s1", "t1"]);
  });
});

const noisy = defineAction({
  slug: "unit-noisy",
  input: z.object({ name: z.string(), failFirst: z.boolean().default(false) }),
  output: z.object({ name: z.string() }),
  retries: { maxAttempts: 2, initialDelay: "1ms" },
  run: async ({ name, failFirst }, _credentials, ctx) => {
    ctx.log.info(`${name} attempt ${ctx.attempt}`);
    await Promise.resolve();
    console.warn(`${name} warned`);
    if (failFirst && ctx.attempt === 1) throw new Error("first attempt fails");
    return { name };
  },
});

const logging = defineWorkflow({
  slug: "unit-logging",
  input: z.object({}),
  output: z.object({ names: z.array(z.string()) }),
  run: async (_input, ctx) => {
    ctx.log.info("body before");
    const results = await Promise.all([
      noisy.run({ name: "left", failFirst: true }),
      noisy.run({ name: "right", failFirst: false }),
    ]);
    ctx.log.warn("body after", { count: results.length });
    return { names: results.map((r) => r.name) };
  },
});

const withLogs = (events: readonly RunEvent[]) =>
  events.flatMap((e) =>
    (e.type === "step_completed" || e.type === "step_retrying") && e.logs
      ? [{ type: e.type, stepId: e.stepId, messages: e.logs.map((l) => `${l.level}:${l.message}`) }]
      : [],
  );

describe("capture in a run", () => {
  it("keeps each attempt's lines on its outcome event, apart from the parallel step's", async () => {
    const log = new MemoryEventLog();
    const first = await executeWorkflow(logging, {}, { eventLog: log });
    expect(first.status).toBe("suspended"); // the left step waits for its backoff
    const result = await executeWorkflow(logging, {}, { eventLog: log, now: Date.now() + 60_000 });
    expect(result.status).toBe("completed");
    expect(withLogs(log.events)).toEqual([
      { type: "step_retrying", stepId: "unit-noisy#0", messages: ["info:left attempt 1", "warn:left warned"] },
      { type: "step_completed", stepId: "unit-noisy#1", messages: ["info:right attempt 1", "warn:right warned"] },
      { type: "step_completed", stepId: "unit-noisy#0", messages: ["info:left attempt 2", "warn:left warned"] },
    ]);
  });

  it("records the body's ctx.log lines once, however often the body replays", async () => {
    const log = new MemoryEventLog();
    await executeWorkflow(logging, {}, { eventLog: log });
    await executeWorkflow(logging, {}, { eventLog: log, now: Date.now() + 60_000 });
    const lines = log.events.flatMap((e) => (e.type === "run_logged" ? [`${e.logId} ${e.level} ${e.message}`] : []));
    expect(lines).toEqual(["log#0 info body before", "log#1 warn body after { count: 2 }"]);
  });

  it("never stores an environment secret a step or body logs", async () => {
    setLogSecretSource(() => ["super-secret-value"]);
    const leaky = defineWorkflow({
      slug: "unit-leaky",
      input: z.object({}),
      output: z.object({}),
      run: async (_input, ctx) => {
        ctx.log.info("key is super-secret-value");
        await noisy.run({ name: "super-secret-value" });
        return {};
      },
    });
    const log = new MemoryEventLog();
    expect((await executeWorkflow(leaky, {}, { eventLog: log })).status).toBe("completed");
    const logged = JSON.stringify(log.events.filter((e) => e.type === "run_logged" || e.type === "step_completed"));
    expect(logged).toContain(REDACTED);
    expect(logged.match(/super-secret-value/g)?.length).toBe(1); // only the step's recorded output
  });
});
