// `cairn-workflows/call-site`: the mark `cairn generate` (and the `cairn-workflows/vite` plugin)
// writes around each step call in a workflow file, so runs record which call site made a step.
export { atCallSite } from "./engine/call-site.ts";
