import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/config.ts";

describe("CAIRN_HISTORY_SHARDS", () => {
  it("defaults to 32 shards and accepts a power of two, as text or a number", () => {
    expect(readConfig({}).historyShards).toBe(32);
    expect(readConfig({ CAIRN_HISTORY_SHARDS: "64" }).historyShards).toBe(64);
    expect(readConfig({ CAIRN_HISTORY_SHARDS: 16 }).historyShards).toBe(16);
  });

  it("refuses a count that is not a power of two up to 256, naming the variable", () => {
    for (const value of ["12", "0", "512", "16x"]) {
      expect(() => readConfig({ CAIRN_HISTORY_SHARDS: value })).toThrow(ConfigError);
      expect(() => readConfig({ CAIRN_HISTORY_SHARDS: value })).toThrow(/CAIRN_HISTORY_SHARDS/);
    }
  });
});
