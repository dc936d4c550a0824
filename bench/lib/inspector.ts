// A CPU profile of the Worker under `wrangler dev`, through workerd's DevTools port (the same
// protocol Chrome's DevTools speaks): enable the profiler, start, stop, get the profile back.
import WebSocket from "ws";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export class WorkerProfiler {
  private nextId = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }

  /** Connects to the first target workerd lists on `inspectorPort` (the user Worker). */
  static async connect(inspectorPort: number): Promise<WorkerProfiler> {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    if (!targets[0]) throw new Error(`no inspector target on port ${inspectorPort}`);
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const profiler = new WorkerProfiler(socket);
    await profiler.send("Profiler.enable");
    await profiler.send("Profiler.setSamplingInterval", { interval: 200 });
    return profiler;
  }

  private send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (result: unknown) => void);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  start(): Promise<unknown> {
    return this.send("Profiler.start");
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = await this.send<{ profile: CpuProfile }>("Profiler.stop");
    return profile;
  }

  close(): void {
    this.socket.close();
  }
}

export interface HotSpot {
  /** `function file:line`, or a runtime entry such as `(garbage collector)`. */
  frame: string;
  ms: number;
  share: number;
}

type ProfileNode = CpuProfile["nodes"][number];

function frameName({ callFrame: frame }: ProfileNode): string {
  const file = frame.url.split("/").at(-1) ?? "";
  return file ? `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}` : frame.functionName;
}

/**
 * Sampled time per key, largest first. `keyOf` names a sample by its node and its chain of
 * callers (nearest first), or skips it with `undefined`.
 */
function tally(
  profile: CpuProfile,
  top: number,
  keyOf: (node: ProfileNode, callers: ProfileNode[]) => string | undefined,
): HotSpot[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const callers = (node: ProfileNode) => {
    const chain: ProfileNode[] = [];
    for (let id = parentOf.get(node.id); id !== undefined && chain.length < 3; id = parentOf.get(id))
      chain.push(byNode.get(id)!);
    return chain;
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, i) => {
    const node = byNode.get(nodeId);
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const key = node && keyOf(node, callers(node));
    if (key !== undefined) totals.set(key, (totals.get(key) ?? 0) + us);
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, us]) => ({ frame, ms: Math.round(us / 100) / 10, share: Math.round((us / all) * 1000) / 10 }));
}

/** Time spent in each function itself (not its callees), largest first. */
export function selfTime(profile: CpuProfile, top = 25): HotSpot[] {
  return tally(profile, top, (node) => frameName(node));
}

/** Where the time of one native function (e.g. SQLite's `exec`) comes from: its callers' chains. */
export function callersOf(profile: CpuProfile, functionName: string, top = 12): HotSpot[] {
  return tally(profile, top, (node, chain) =>
    node.callFrame.functionName === functionName
      ? chain.map((caller) => caller.callFrame.functionName || "(anonymous)").join(" ← ")
      : undefined,
  );
}
