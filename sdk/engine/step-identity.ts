// Step identity (decision 0016): which recorded step a call in the code is. By call site and
// occurrence first, then as the edited form of a recorded call whose site is gone from the code,
// else new work under a readable `<name>#<k>` id. Calls without a site, and logs recorded before
// call-site ids, keep the per-name rule.
import type { RunEvent } from "./events.ts";
import type { StepRecord } from "./step-records.ts";

/** One call as identity sees it, in the scope whose step ids start with `prefix`. */
export interface IdentityCall {
  prefix: string;
  kind: string;
  name: string;
  /** How many earlier calls of `name` this scope made: the per-name id's number. */
  nameIndex: number;
  /** The call site id, when the code is instrumented. */
  site?: string;
  /** How many earlier calls this scope made at `site`. */
  siteIndex: number;
  /** The call's input hash, computed only when an edited call must be compared. */
  hash(): string | undefined;
}

/** Where a call lands: its step id (with the `site` to record), or a recorded call it diverges from. */
export type Identity =
  | { stepId: string; site?: string; diverged?: undefined }
  | { stepId: string; site?: string; diverged: StepRecord };

/** `parent#0/lookup#1` → `parent#0/`; a top-level id → "". */
export function prefixOf(stepId: string): string {
  return stepId.slice(0, stepId.lastIndexOf("/") + 1);
}

/** `k3f9a2#1` → `k3f9a2`. */
export function siteIdOf(site: string): string {
  const hash = site.lastIndexOf("#");
  return hash < 0 ? site : site.slice(0, hash);
}

const groupKey = (prefix: string, kind: string, name: string) => `${prefix}\u0000${kind}\u0000${name}`;

/**
 * The step ids of one pass. Built from the log's step records; every id it hands out is claimed,
 * so no two calls of a pass share a recorded step. Lookups are O(1) on the replay hot path; the
 * scan for an edited call walks only the records whose site left the code.
 */
export class StepIdentity {
  /** `<prefix><site>#<n>` → the recorded step id. */
  private readonly bySite = new Map<string, string>();
  /** Ids handed out in this pass (matched or new). */
  readonly claimed = new Set<string>();
  /** Sited records whose site id is gone from the deployed code, not yet claimed, by scope+kind+name. */
  private readonly orphans = new Map<string, Set<string>>();
  /** Site ids called in this pass: present in the code whatever the deployed list says. */
  private readonly calledSites = new Set<string>();
  /**
   * Only when there are orphans: each recorded step's position in the log, and per scope the
   * furthest position this pass has replayed to. An orphan before it was passed over, so it was
   * removed, not edited into a later call.
   */
  private positions?: Map<string, number>;
  private readonly replayedTo = new Map<string, number>();

  constructor(
    private readonly records: ReadonlyMap<string, StepRecord>,
    /** Every call-site id of the deployed code; without it no call is taken for an edited one. */
    callSites?: ReadonlySet<string>,
  ) {
    const knowsSites = callSites !== undefined && callSites.size > 0;
    for (const record of records.values()) {
      if (record.site === undefined) continue;
      this.bySite.set(prefixOf(record.stepId) + record.site, record.stepId);
      if (!knowsSites || callSites.has(siteIdOf(record.site))) continue;
      const key = groupKey(prefixOf(record.stepId), record.kind, record.name);
      const group = this.orphans.get(key) ?? new Set<string>();
      this.orphans.set(key, group);
      group.add(record.stepId);
    }
    if (this.orphans.size === 0) return;
    // The records map keeps the order in which each step first appeared in the log.
    this.positions = new Map();
    for (const stepId of records.keys()) this.positions.set(stepId, this.positions.size);
  }

  /** Indexes a step event appended during the pass (a new step's site). */
  observe(event: RunEvent): void {
    if (
      (event.type === "step_started" || event.type === "sleep_started" || event.type === "hook_created") &&
      event.site
    )
      this.bySite.set(prefixOf(event.stepId) + event.site, event.stepId);
  }

  /** Finds the step a call is (see the file header for the order of the rules). */
  resolve(call: IdentityCall): Identity {
    const legacyId = `${call.prefix}${call.name}#${call.nameIndex}`;
    if (call.site === undefined) return this.claim(legacyId);
    const site = `${call.site}#${call.siteIndex}`;
    this.calledSites.add(call.site);
    const recorded = this.bySite.get(call.prefix + site);
    if (recorded !== undefined && !this.claimed.has(recorded)) return this.claim(recorded, site);
    // A log recorded before call-site ids: its records carry no site, and the per-name id finds
    // them. (A sited record is only ever made by its own site, so the site lookup above never
    // takes a legacy call's record; looking it up first keeps un-instrumented helpers' steps apart.)
    const legacy = this.records.get(legacyId);
    if (legacy && legacy.site === undefined && !this.claimed.has(legacyId)) return this.claim(legacyId, site);
    const edited = this.orphanFor(call);
    if (edited) {
      // Sleeps and hooks have no input to compare: the orphan of the same kind is the edited call.
      const hash = call.hash();
      if (edited.inputHash === undefined || edited.inputHash === hash) return this.claim(edited.stepId, site);
      return { stepId: edited.stepId, site, diverged: edited };
    }
    // New work: the per-name id when it is free, so unedited code keeps today's ids.
    let k = call.nameIndex;
    let id = legacyId;
    while (this.records.has(id) || this.claimed.has(id)) id = `${call.prefix}${call.name}#${++k}`;
    return this.claim(id, site);
  }

  /**
   * Whether the pass is at the live frontier: every recorded step is claimed in this pass, or lies
   * under a claimed step that finished (its body is not replayed). `except`: a step not yet counted.
   */
  atFrontier(except?: string): boolean {
    for (const record of this.records.values()) {
      if (record.stepId === except || this.claimed.has(record.stepId)) continue;
      if (!this.underFinishedClaim(record.stepId)) return false;
    }
    return true;
  }

  private underFinishedClaim(stepId: string): boolean {
    for (let slash = stepId.indexOf("/"); slash >= 0; slash = stepId.indexOf("/", slash + 1)) {
      const ancestor = stepId.slice(0, slash);
      const record = this.records.get(ancestor);
      if (this.claimed.has(ancestor) && (record?.completed || record?.failed)) return true;
    }
    return false;
  }

  /**
   * The recorded call this one is an edit of: same scope, kind and name, its site gone from the
   * code, and recorded after every step this scope has replayed so far (in code order, an edit
   * stands where the call it replaces stood).
   */
  private orphanFor(call: IdentityCall): StepRecord | undefined {
    const group = this.orphans.get(groupKey(call.prefix, call.kind, call.name));
    if (!group) return undefined;
    const after = this.replayedTo.get(call.prefix) ?? -1;
    for (const stepId of group) {
      const record = this.records.get(stepId);
      if ((this.positions?.get(stepId) ?? -1) < after) continue;
      if (record?.site !== undefined && !this.calledSites.has(siteIdOf(record.site))) return record;
    }
    return undefined;
  }

  private claim(stepId: string, site?: string): Identity {
    this.claimed.add(stepId);
    const position = this.positions?.get(stepId);
    if (position !== undefined) {
      const prefix = prefixOf(stepId);
      if (position > (this.replayedTo.get(prefix) ?? -1)) this.replayedTo.set(prefix, position);
    }
    const record = this.records.get(stepId);
    if (record?.site !== undefined)
      this.orphans.get(groupKey(prefixOf(stepId), record.kind, record.name))?.delete(stepId);
    return site === undefined ? { stepId } : { stepId, site };
  }
}
