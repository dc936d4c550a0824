// Starts the real Worker with `wrangler dev` on 127.0.0.1 for end-to-end tests, and stops it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServer {
  url: string;
  port: number;
  /** Where the local Durable Object state lives; pass it again to restart with the same state. */
  persistDir: string;
  logs: () => string;
  /** SIGKILLs the process (a crash, not a shutdown). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  persistDir?: string;
  port?: number;
  config?: string;
  vars?: Record<string, string>;
  /** The DevTools port of the Worker (for profiling); a free one when unset. */
  inspectorPort?: number;
  /** The project to serve (its wrangler config and its own wrangler); this repository when unset. */
  cwd?: string;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Starts `wrangler dev` and resolves once it answers HTTP. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // freePort() cannot hold on to the port it found: a server starting in parallel (other
      // test files, a bench phase) may bind it first. Try again, with new ports unless fixed.
      if (attempt >= 4 || !/Address already in use/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const persistDir = options.persistDir ?? mkdtempSync(join(tmpdir(), "cairn-e2e-"));
  const args = [
    "wrangler",
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistDir,
    "--inspector-port",
    String(options.inspectorPort ?? (await freePort())),
    "--show-interactive-dev-session=false",
  ];
  if (options.config) args.push("--config", options.config);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  const child = spawn("npx", args, {
    cwd: options.cwd ?? process.cwd(),
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CI: "true",
      NO_COLOR: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (Date.now() >= deadline) throw new Error(`wrangler dev did not start in time:\n${output}`);
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    url,
    port,
    persistDir,
    logs: () => output,
    async kill() {
      signalGroup("SIGKILL");
      await exited(child);
    },
    async stop() {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 5_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
