// POST /runs/bulk and GET /runs/bulk/:bulkId: cancel, retry or rerun every run a history filter
// matches — the count first (dryRun), then a job driven in batches by its own object (src/bulk).
import { Hono } from "hono";
import { z } from "zod";
import { isRunStatus, RUN_STATUSES } from "../../../sdk/engine/run-status.ts";
import { BULK_ACTIONS, type BulkFilter, type BulkJob, bulkView, snapshotQuery } from "../../bulk/bulk-job.ts";
import type { Env } from "../../env.ts";
import { listRuns } from "../../history/list-runs.ts";
import { type AppEnv, serviceUrl } from "../base-path.ts";
import { readJson } from "../body.ts";
import { ApiError } from "../errors.ts";

/** Longest reason a bulk job records on each run (as a single cancel or retry does). */
const MAX_REASON_CHARS = 1_000;
/** Longest Idempotency-Key a bulk request may carry. */
const MAX_IDEMPOTENCY_KEY_CHARS = 256;
const BULK_ID = /^bulk_[0-9a-f]{32}$/;

/** An ISO date or epoch milliseconds, as `GET /runs?since=` takes them. */
const instant = z.union([z.number().int().nonnegative(), z.string().min(1)]).transform((value, ctx) => {
  const at = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(at)) ctx.addIssue({ code: "custom", message: "must be an ISO date or epoch milliseconds" });
  return at;
});

const BulkBody = z.strictObject({
  action: z.enum(BULK_ACTIONS),
  filter: z.strictObject({
    workflow: z.string().min(1).optional(),
    status: z
      .string()
      .refine(isRunStatus, { message: `must be one of ${RUN_STATUSES.join(", ")}` })
      .optional(),
    trigger: z.string().min(1).optional(),
    since: instant.optional(),
    until: instant.optional(),
  }),
  reason: z.string().max(MAX_REASON_CHARS).optional(),
  dryRun: z.boolean().optional(),
});

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A random bulk id, or the one an Idempotency-Key maps to (so a repeated request finds its job). */
async function bulkIdFor(key: string | undefined): Promise<string> {
  if (!key) return `bulk_${hex(crypto.getRandomValues(new Uint8Array(16)).buffer)}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`bulk\u0000${key}`));
  return `bulk_${hex(digest).slice(0, 32)}`;
}

/** The object hosting one job: a TriggerStateObject named `bulk:<id>` (decision 0021). */
export function bulkObject(env: Env, bulkId: string) {
  return env.TRIGGERS.get(env.TRIGGERS.idFromName(`bulk:${bulkId}`));
}

/** How many runs `filter` matches now, up to `createdAt` (the job's snapshot). */
async function countMatching(env: Env, filter: BulkFilter, createdAt: number): Promise<number> {
  const page = await listRuns(env, snapshotQuery({ filter, createdAt }, 1));
  return Object.values(page.counts).reduce((sum, n) => sum + n, 0);
}

export const runBulkRoutes = new Hono<AppEnv>()
  .post("/bulk", async (c) => {
    const parsed = BulkBody.safeParse((await readJson(c)) ?? {});
    if (!parsed.success)
      throw new ApiError("invalid_input", "the request body does not describe a bulk operation", {
        issues: parsed.error.issues,
      });
    const { action, filter, reason, dryRun } = parsed.data;
    const createdAt = Date.now();
    if (dryRun) return c.json({ action, count: await countMatching(c.env, filter, createdAt) });

    const key = c.req.header("idempotency-key") || undefined;
    if (key && key.length > MAX_IDEMPOTENCY_KEY_CHARS)
      throw new ApiError("invalid_input", `Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY_CHARS} characters`);
    const bulkId = await bulkIdFor(key);
    const stub = bulkObject(c.env, bulkId);
    const existing = (await stub.bulkJob()) as BulkJob | undefined;
    if (existing) {
      // The same key with another request would silently answer for a job it did not ask for.
      if (existing.action !== action || JSON.stringify(existing.filter) !== JSON.stringify(filter))
        throw new ApiError("idempotency_conflict", "this Idempotency-Key already started a different bulk operation");
      return c.json({ bulkId, action, count: existing.count, status: existing.status }, 202);
    }
    const job: BulkJob = {
      bulkId,
      action,
      filter,
      ...(reason ? { reason } : {}),
      createdAt,
      count: await countMatching(c.env, filter, createdAt),
      done: 0,
      failed: 0,
      skipped: 0,
      status: "running",
      origin: serviceUrl(c),
    };
    const begun = (await stub.beginBulk(job)) as BulkJob;
    return c.json({ bulkId, action, count: begun.count, status: begun.status }, 202);
  })
  .get("/bulk/:bulkId", async (c) => {
    const bulkId = c.req.param("bulkId");
    const job = BULK_ID.test(bulkId) ? ((await bulkObject(c.env, bulkId).bulkJob()) as BulkJob | undefined) : undefined;
    if (!job) throw new ApiError("bulk_not_found", `no bulk operation with id "${bulkId}"`);
    return c.json(bulkView(job));
  });
