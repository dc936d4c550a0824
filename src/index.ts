// The engine's root module: everything `cairn-workflows/worker` exports (src/worker.ts). The
// repository's Worker entry is examples/index.ts, which calls createCairn with the examples.
export * from "./worker.ts";
