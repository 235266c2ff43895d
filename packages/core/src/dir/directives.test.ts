import { join } from "node:path";
import { COMPAT } from "@migrate-relay/testkit";
import { describe, expect, it } from "vitest";
import { isRelayError } from "../errors";
import { directiveOf, fileDirectives, headerComments, isSumIgnored } from "./directives";
import { readDir } from "./files";

describe("txmode (from the header block, which needs a blank line after it)", () => {
  it.each([
    ["-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (c);", "none"],
    ["-- atlas:txmode file\n\nSELECT 1;", "file"],
    ["#atlas:txmode none\n\nSELECT 1;", "none"],
    ["-- first line\n-- atlas:txmode none\n\nSELECT 1;", "none"],
    ["-- atlas:txmode none\nSELECT 1;", undefined],
    // The separating line may hold spaces or tabs (Atlas trims them before looking for the newline).
    ["-- atlas:txmode none\n \t \nCREATE INDEX CONCURRENTLY i ON t (c);", "none"],
    ["-- atlas:txmode none", undefined],
    ["SELECT 1;\n-- atlas:txmode none\n\n", undefined],
    ["\n-- atlas:txmode none\n\nSELECT 1;", undefined],
    // Atlas needs an LF right after the block: CRLF files do not carry directives.
    ["-- atlas:txmode none\r\n\r\nSELECT 1;", undefined],
    ["-- atlas:txmode\n\nSELECT 1;", undefined],
  ])("%j -> %s", (content, txmode) => {
    expect(fileDirectives(content).txmode).toBe(txmode);
  });

  it("refuses what Atlas refuses, naming the file", () => {
    const cases: [string, RegExp][] = [
      ["-- atlas:txmode all\n\nSELECT 1;", /1_a.sql: atlas:txmode all is not allowed/],
      ["-- atlas:txmode nope\n\nSELECT 1;", /1_a.sql: unknown atlas:txmode "nope"/],
      ["-- atlas:txmode none\n-- atlas:txmode file\n\nSELECT 1;", /more than one atlas:txmode/],
    ];
    for (const [content, message] of cases) {
      try {
        fileDirectives(content, "1_a.sql");
        throw new Error("expected a refusal");
      } catch (err) {
        expect(isRelayError(err, "migration")).toBe(true);
        expect((err as Error).message).toMatch(message);
      }
    }
  });

  it("reads bytes as well as text", () => {
    expect(fileDirectives(new TextEncoder().encode("-- atlas:txmode none\n\nSELECT 1;")).txmode).toBe("none");
  });

  it("finds the txmode none files of the real directories (12, 10, 0)", async () => {
    for (const [folder, want] of [
      ["hatchet-dev-hatchet", 12],
      ["chainloop-dev-chainloop", 10],
      ["diggerhq-digger", 0],
    ] as const) {
      const dir = await readDir(join(COMPAT, "real", folder));
      const none = dir.files.filter((f) => fileDirectives(f.content, f.name).txmode === "none");
      expect(none.length, folder).toBe(want);
    }
  });
});

describe("the first-line directives", () => {
  it("atlas:sum ignore, on the first line only, with any printable prefix", () => {
    expect(isSumIgnored("-- atlas:sum ignore\nSELECT 1;")).toBe(true);
    expect(isSumIgnored("# atlas:sum ignore")).toBe(true);
    expect(isSumIgnored("/* atlas:sum ignore */")).toBe(false); // the argument is "ignore */"
    expect(isSumIgnored("SELECT 1;\n-- atlas:sum ignore")).toBe(false);
    expect(isSumIgnored("-- atlas:sum ignored")).toBe(false);
    expect(isSumIgnored(new TextEncoder().encode("-- atlas:sum ignore\r\nx"))).toBe(true);
    expect(fileDirectives("-- atlas:sum ignore\nSELECT 1;").sumIgnore).toBe(true);
  });

  it("atlas:delimiter needs the exact `-- ` prefix and decodes \\n \\t \\r", () => {
    expect(fileDirectives("-- atlas:delimiter \\n\\n\n\nSELECT 1").delimiter).toBe("\n\n");
    expect(fileDirectives("-- atlas:delimiter \\t|\\r\nSELECT 1").delimiter).toBe("\t|\r");
    expect(fileDirectives("-- atlas:delimiter -- end\nSELECT 1").delimiter).toBe("-- end");
    expect(fileDirectives("--atlas:delimiter //\nSELECT 1").delimiter).toBeUndefined();
    expect(fileDirectives("SELECT 1;\n-- atlas:delimiter //\n").delimiter).toBeUndefined();
  });

  it("directiveOf follows Atlas's pattern", () => {
    expect(directiveOf("-- atlas:nolint destructive")).toEqual({
      prefix: "-- ",
      name: "nolint",
      arg: "destructive",
    });
    expect(directiveOf("atlas:sum")).toEqual({ prefix: "", name: "sum", arg: "" });
    expect(directiveOf("\t-- atlas:sum ignore")).toBeNull(); // a tab is not printable ASCII
  });

  it("headerComments trims each line and stops at the first non-comment", () => {
    expect(headerComments("-- a  \n# b\n\nSELECT 1;")).toEqual(["-- a", "# b"]);
    expect(headerComments("-- a\nSELECT 1;")).toEqual([]);
  });
});
