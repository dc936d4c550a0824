import { beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigError, readConfig } from "../../src/config.ts";

const DAY_MS = 86_400_000;

function problem(env: Record<string, unknown>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfig", () => {
  const logged = vi.spyOn(console, "error");
  beforeEach(() => {
    logged.mockReset().mockImplementation(() => {});
  });

  it("reads CAIRN_RETENTION_DAYS as days, decimals included", () => {
    expect(readConfig({ CAIRN_RETENTION_DAYS: "7" }).retentionMs).toBe(7 * DAY_MS);
    expect(readConfig({ CAIRN_RETENTION_DAYS: "0.5" }).retentionMs).toBe(DAY_MS / 2);
  });

  it("uses the 30-day default when CAIRN_RETENTION_DAYS is unset or empty", () => {
    expect(readConfig({}).retentionMs).toBe(30 * DAY_MS);
    expect(readConfig({ CAIRN_RETENTION_DAYS: "" }).retentionMs).toBe(30 * DAY_MS);
  });

  it.each(["30d", "abc", "-1", "0", "1e3", " 7"])(
    "refuses CAIRN_RETENTION_DAYS=%j with an invalid_config error naming the variable and a valid example",
    (value) => {
      const error = problem({ CAIRN_RETENTION_DAYS: value });
      expect(error.code).toBe("invalid_config");
      expect(error.variable).toBe("CAIRN_RETENTION_DAYS");
      expect(error.message).toContain(`CAIRN_RETENTION_DAYS: ${JSON.stringify(value)}`);
      expect(error.message).toContain('e.g. "30"');
    },
  );

  it("refuses a PUBLIC_URL that is not an http(s) URL and trims the trailing slash of one that is", () => {
    expect(problem({ PUBLIC_URL: "cairn.example.com" }).variable).toBe("PUBLIC_URL");
    expect(problem({ PUBLIC_URL: "ftp://cairn.example.com" }).variable).toBe("PUBLIC_URL");
    expect(readConfig({ PUBLIC_URL: "https://cairn.example.com/" }).publicUrl).toBe("https://cairn.example.com");
  });

  it("treats empty secrets as unset", () => {
    expect(readConfig({ CAIRN_API_KEY: "", OPENAI_BASE_URL: "" })).toMatchObject({
      apiKey: undefined,
      openAiBaseUrl: undefined,
    });
  });

  it("logs an invalid value once per env object however often it is read", () => {
    const env = { CAIRN_RETENTION_DAYS: "30d" };
    expect(problem(env)).toBe(problem(env));
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it("parses each env object once and gives the same answer after", () => {
    const env = { CAIRN_RETENTION_DAYS: "2" };
    const first = readConfig(env);
    env.CAIRN_RETENTION_DAYS = "bad";
    expect(readConfig(env)).toBe(first);
  });
});
