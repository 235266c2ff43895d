import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["2.5s", 2_500],
    ["3", 3_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text, "lock-timeout")).toBe(ms);
  });

  it("refuses what a timer cannot hold (over 24.8 days) instead of firing at once", () => {
    expect(parseDuration("596h", "timeout")).toBe(596 * 3_600_000);
    expect(() => parseDuration("600h", "timeout")).toThrow(/--timeout "600h" is longer than 24\.8 days/);
    expect(() => parseDuration("2147484", "timeout")).toThrow(/longer than 24\.8 days/);
  });

  it.each(["", "10 parsecs", "s10", "10sx"])("refuses %j, naming the flag", (text) => {
    expect(() => parseDuration(text, "lock-timeout")).toThrow(/--lock-timeout/);
  });
});
