// This repository's own Worker: the example workflows, actions, agents and triggers, served by
// the package exactly as a user's project serves its own (`npx cairn init` writes the same file).
import { createCairn } from "cairn-workflows/worker";
import * as definitions from "./cairn.gen.ts";

const cairn = createCairn(definitions);
export default cairn;
export { AgentSessionObject, IndexObject, RunObject, TriggerStateObject, WorkflowObject } from "cairn-workflows/worker";
