// The floor under any engine that gives each run its own Durable Object: how many new SQLite-backed
// objects per second local workerd can create and write rows into, with no engine code at all.
import { DurableObject } from "cloudflare:workers";

interface FloorEnv {
  FLOOR: DurableObjectNamespace<Floor>;
}

export class Floor extends DurableObject<FloorEnv> {
  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)");
  }

  /** Appends `rows` rows, as a run appends its events, and optionally arms an alarm as a run does. */
  async write(rows: number, alarm: boolean): Promise<number> {
    for (let i = 0; i < rows; i++) this.ctx.storage.sql.exec("INSERT INTO events (data) VALUES (?)", `{"i":${i}}`);
    if (alarm) await this.ctx.storage.setAlarm(Date.now() + 86_400_000);
    return rows;
  }

  override async alarm(): Promise<void> {}
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    const rows = Number(url.searchParams.get("rows") ?? 1);
    const alarm = url.searchParams.has("alarm");
    // `same` reuses one object, to separate the cost of creating an object from writing to it.
    const id = url.searchParams.has("same") ? env.FLOOR.idFromName("same") : env.FLOOR.newUniqueId();
    return Response.json({ rows: await env.FLOOR.get(id).write(rows, alarm) });
  },
};
