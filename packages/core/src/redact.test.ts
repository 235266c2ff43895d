import { describe, expect, it } from "vitest";
import { redactUrl, secretsOfUrl } from "./redact";

describe("redactUrl", () => {
  it.each([
    ["postgres://app:s3cret@db:5432/prod?sslmode=require", "postgres://app:***@db:5432/prod?sslmode=require"],
    ["postgres://app@db/prod", "postgres://app@db/prod"],
    ["file://migrations", "file://migrations"],
    ["s3://bucket/prefix?region=us-east-1", "s3://bucket/prefix?region=us-east-1"],
    ["https://h/q?token=abc&x=1", "https://h/q?token=***&x=1"],
    ["not a url user:pw@host", "not a url user:pw@host"],
    ["//user:pw@host/x", "//user:***@host/x"],
  ])("%s -> %s", (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });

  it("finds the secrets to mask, percent-decoded too", () => {
    expect(secretsOfUrl("postgres://u:p%40ss@h/db?password=q")).toEqual(["p%40ss", "p@ss", "q"]);
  });
});
