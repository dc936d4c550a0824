// Published list prices the cost model (bench/cost.ts) multiplies measured counts by, with the
// page each was read from and the date it was read. Overage rates only: monthly inclusions
// (Workers Paid's 10 M requests, 50 M rows written…) are left out, so figures are marginal costs.

/** When the rates below were read (through the docs search of the Cairn project). */
export const PRICES_READ_ON = "2026-12-02";

export const cloudflare = {
  /** Workers Paid, Workers Standard pricing (Cloudflare docs: Workers pricing, Workflows pricing). */
  workerRequestPerMillion: 0.3,
  workerCpuPerMillionMs: 0.02,
  /** Durable Objects pricing, Workers Paid: requests include RPC calls and alarm invocations. */
  objectRequestPerMillion: 0.15,
  /** Durable Objects duration: wall-clock while active, billed at 128 MB. */
  objectGbSecondPerMillion: 12.5,
  objectMemoryGb: 0.128,
  /** Durable Objects SQLite storage (docs partial "storage_api_pricing"): each setAlarm is a row written. */
  rowsReadPerMillion: 0.001,
  rowsWrittenPerMillion: 1.0,
  storedGbMonth: 0.2,
  /** R2 pricing: Class A (writes, lists) and Class B (reads). */
  r2ClassAPerMillion: 4.5,
  r2ClassBPerMillion: 0.36,
  /** Queues pricing: per 64 KB operation; a delivered message is a write, a read and a delete. */
  queueOperationPerMillion: 0.4,
  queueOperationsPerMessage: 3,
  /** Cloudflare Workflows pricing: "identical to Workers Standard pricing" (requests, CPU ms, storage). */
  workflowsInvocationPerMillion: 0.3,
  workflowsCpuPerMillionMs: 0.02,
  workflowsStoredGbMonth: 0.2,
} as const;

/** Temporal Cloud pricing page (docs.temporal.io/cloud/pricing): Actions, first volume tier. */
export const temporal = {
  actionPerMillion: 50,
  /** Lowest listed tier (100 M–200 M actions a month); beyond that is negotiated. */
  actionPerMillionAtVolume: 25,
} as const;

/**
 * Inngest (inngest.com docs "Durable Execution limits"): "An execution is one function run or one
 * step execution. A function run with five steps uses six executions." Pro includes 1 million
 * executions a month. The per-execution overage rate is on inngest.com/pricing, which the search
 * tool did not return: it is not priced here (executions are counted instead).
 */
export const inngest = {
  proIncludedExecutions: 1_000_000,
  executionsPerRun: (steps: number, sleeps: number) => 1 + steps + sleeps,
} as const;

/** Source pages, for BENCHMARKS.md. */
export const priceSources = [
  "developers.cloudflare.com/durable-objects/platform/pricing (requests, duration)",
  "cloudflare-docs partial workers/storage_api_pricing.mdx (SQLite rows read/written, stored data, setAlarm = 1 row)",
  "developers.cloudflare.com/workflows/reference/pricing (Workflows = Workers Standard: requests, CPU ms, storage)",
  "cloudflare-docs partial workers/queues_pricing.mdx (Queues operations)",
  "developers.cloudflare.com/r2/pricing (Class A / Class B operations)",
  "docs.temporal.io/cloud/pricing (Actions from $50 per million)",
  "inngest.com/docs/durable-execution/limits (what an execution is; Pro includes 1 M)",
];
