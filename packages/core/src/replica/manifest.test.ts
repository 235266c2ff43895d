import { describe, expect, it } from "vitest";
import { extendsSum, parseManifest } from "./manifest";

const sum = (...lines: string[]) => `h1:total\n${lines.join("\n")}\n`;

describe("extendsSum", () => {
  it("accepts a state that only adds files after the old ones", () => {
    expect(
      extendsSum(sum("1_a.sql h1:x", "2_b.sql h1:y"), sum("1_a.sql h1:x", "2_b.sql h1:y", "3_c.sql h1:z")),
    ).toEqual({
      ok: true,
    });
    expect(extendsSum("", sum("1_a.sql h1:x"))).toEqual({ ok: true });
  });

  it("says why an older, edited or reordered state does not extend", () => {
    expect(extendsSum(sum("1_a.sql h1:x", "2_b.sql h1:y"), sum("1_a.sql h1:x"))).toEqual({
      ok: false,
      file: "2_b.sql",
      why: "the new state lacks 2_b.sql",
    });
    expect(extendsSum(sum("1_a.sql h1:x"), sum("1_a.sql h1:q"))).toEqual({
      ok: false,
      file: "1_a.sql",
      why: "1_a.sql was edited",
    });
    expect(extendsSum(sum("2_b.sql h1:x"), sum("1_a.sql h1:q", "2_b.sql h1:r"))).toMatchObject({
      ok: false,
      file: "2_b.sql",
    });
  });
});

describe("parseManifest", () => {
  it("refuses a manifest without a valid digest", () => {
    const bad = Buffer.from(JSON.stringify({ digest: "sha256:../../etc/passwd", version: "1" }));
    expect(() => parseManifest(bad, "here")).toThrow(/no valid "digest"/);
    expect(() => parseManifest(Buffer.from("{"), "here")).toThrow(/not JSON/);
  });
});
