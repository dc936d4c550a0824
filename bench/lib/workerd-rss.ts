// Resident memory and open Durable Object databases of the workerd processes behind one
// `wrangler dev`, found by its --port so that other dev servers on the machine are not counted.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // the process ended
  }
}

const pids = () => readdirSync("/proc").filter((name) => /^\d+$/.test(name));

/** The wrangler process serving `port` (its command line carries `--port <port>`). */
function wranglerPid(port: number): string | undefined {
  return pids().find((pid) => {
    const args = read(`/proc/${pid}/cmdline`)?.split("\0") ?? [];
    const at = args.indexOf("--port");
    return args.some((a) => a.endsWith("wrangler-dist/cli.js")) && at >= 0 && args[at + 1] === String(port);
  });
}

/** The workerd children of the wrangler dev listening on `port`. */
function workerdPids(port: number): string[] {
  const parent = wranglerPid(port);
  if (!parent) throw new Error(`no wrangler dev on port ${port}`);
  return pids().filter((pid) => {
    const stat = read(`/proc/${pid}/stat`);
    // "pid (comm) state ppid ...": comm may hold spaces, so split after the closing parenthesis.
    const comm = stat?.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    return comm === "workerd" && stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[1] === parent;
  });
}

/** Sum of VmRSS (MiB) of the workerd processes of the wrangler dev listening on `port`. */
export function workerdRssMiB(port: number): number {
  let kib = 0;
  for (const pid of workerdPids(port))
    kib += Number(/VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`) ?? "")?.[1] ?? 0);
  return Math.round((kib / 1024) * 10) / 10;
}

/** How many `.sqlite` files under `dir` those processes hold open: Durable Objects not evicted. */
export function openDatabases(port: number, dir: string): number {
  let open = 0;
  for (const pid of workerdPids(port)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // the process ended
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith(dir) && target.endsWith(".sqlite") && !target.endsWith("metadata.sqlite")) open++;
      } catch {
        // closed meanwhile
      }
    }
  }
  return open;
}

/** CPU time (user + system, ms) the workerd processes of the wrangler dev on `port` have used. */
export function workerdCpuMs(port: number): number {
  let ticks = 0;
  for (const pid of workerdPids(port)) {
    const stat = read(`/proc/${pid}/stat`) ?? "";
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks of 10 ms.
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks * 10;
}
