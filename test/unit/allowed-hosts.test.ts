// CAIRN_ALLOWED_HOSTS: the hosts whose requests may name resume URLs when PUBLIC_URL is unset.
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../src/config.ts";

describe("CAIRN_ALLOWED_HOSTS", () => {
  it("reads a comma-separated list of hostnames, trimmed and lower-cased", () => {
    expect(readConfig({ CAIRN_ALLOWED_HOSTS: " Cairn.example.com, api.example.com:8443 " }).allowedHosts).toEqual([
      "cairn.example.com",
      "api.example.com:8443",
    ]);
    expect(readConfig({}).allowedHosts).toEqual([]);
  });

  it("refuses a URL or a wildcard instead of a hostname, naming the variable", () => {
    for (const value of ["https://cairn.example.com", "*.example.com"]) {
      const read = () => readConfig({ CAIRN_ALLOWED_HOSTS: value });
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(/CAIRN_ALLOWED_HOSTS: .* is not a comma-separated list of hostnames/);
    }
  });
});
