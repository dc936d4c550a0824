// Where `GET /workflows/:slug/queues` finds the keys with runs executing or queued: each
// concurrency gate reports its counts to one history shard chosen by a hash of its name, so no
// single object hears from every gate; a listing reads every shard and merges.
import { type Env, historyIndex, historyShards } from "../env.ts";
import { LEGACY_HISTORY_SHARD } from "../history/shards.ts";
import { FLOW_QUEUES_PAGE } from "../limits.ts";
import { query, run } from "../log/sql.ts";
import { type GateId, gateName } from "./gate-protocol.ts";

/** One key of a workflow with runs executing or waiting. */
export interface QueueCounts {
  key: string | null;
  running: number;
  queued: number;
  updatedAt: string;
}

/** The shard side: the latest counts each gate reported; a gate with nothing left is forgotten. */
export class QueueDirectory {
  private ready = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql(): SqlStorage {
    if (!this.ready) {
      run(
        this.storage.sql,
        `CREATE TABLE IF NOT EXISTS flow_queues (workflow TEXT NOT NULL, key TEXT NOT NULL, running INTEGER NOT NULL,
         queued INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (workflow, key))`,
      );
      this.ready = true;
    }
    return this.storage.sql;
  }

  /** Records a gate's counts unless a later report is already stored. */
  report(workflow: string, key: string, running: number, queued: number, at: number): void {
    if (running === 0 && queued === 0) {
      run(this.sql, "DELETE FROM flow_queues WHERE workflow = ? AND key = ? AND updated_at <= ?", workflow, key, at);
      return;
    }
    run(
      this.sql,
      `INSERT INTO flow_queues (workflow, key, running, queued, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(workflow, key) DO UPDATE SET running = excluded.running, queued = excluded.queued,
       updated_at = excluded.updated_at WHERE excluded.updated_at >= flow_queues.updated_at`,
      workflow,
      key,
      running,
      queued,
      at,
    );
  }

  list(workflow: string, limit: number): QueueCounts[] {
    return query<{ key: string; running: number; queued: number; updated_at: number }>(
      this.sql,
      "SELECT key, running, queued, updated_at FROM flow_queues WHERE workflow = ? ORDER BY queued DESC, key LIMIT ?",
      workflow,
      limit,
    ).map((r) => ({
      key: r.key === "" ? null : r.key,
      running: r.running,
      queued: r.queued,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}

/** Sends a concurrency gate's counts to its directory shard (best effort: the next change resends). */
export async function reportQueue(env: Env, gate: GateId, running: number, queued: number): Promise<void> {
  await historyIndex(env, gateName(gate))
    .flowQueueReport(gate.workflow, gate.key, running, queued, Date.now())
    .catch(() => undefined);
}

/** Every key of `workflow` with runs executing or queued, most queued first. */
export async function workflowQueues(env: Env, workflow: string): Promise<QueueCounts[]> {
  const shards = historyShards(env).filter((s) => s.name !== LEGACY_HISTORY_SHARD);
  const lists = await Promise.all(shards.map((s) => s.stub.flowQueues(workflow, FLOW_QUEUES_PAGE)));
  return lists
    .flat()
    .sort((a, b) => b.queued - a.queued || String(a.key).localeCompare(String(b.key)))
    .slice(0, FLOW_QUEUES_PAGE);
}
