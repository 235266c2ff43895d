import { describe, expect, it } from "vitest";
import { envSecrets, redact, redactUrl, Secrets, secretsOf } from "./secrets";

describe("redactUrl", () => {
  it.each([
    ["postgres://app:s3cret@db:5432/prod?sslmode=require", "postgres://app:***@db:5432/prod?sslmode=require"],
    ["postgres://app@db/prod", "postgres://app@db/prod"],
    ["file://migrations", "file://migrations"],
    ["s3://bucket/prefix?region=us-east-1", "s3://bucket/prefix?region=us-east-1"],
    ["https://h/q?token=abc&x=1", "https://h/q?token=***&x=***"],
    ["//user:pw@host/x", "//user:***@host/x"],
    // every query parameter not on the allow-list is hidden, whatever its name
    [
      "s3://b/p?region=eu-west-1&aws_secret_access_key=wJalr",
      "s3://b/p?region=eu-west-1&aws_secret_access_key=***",
    ],
    // an allowed parameter holding a URL with user info: that user info is hidden
    ["s3://b/p?endpoint=http://AKIA:pw@host:9000", "s3://b/p?endpoint=http://***@host:9000"],
    ["s3://b/p?endpoint=http%3A%2F%2FAKIA%3Apw%40host", "s3://b/p?endpoint=http://***@host"],
    // http(s) user info is a credential as a whole (a token as user name)
    ["https://ghp_abcdef@github.com/x", "https://***@github.com/x"],
    // libpq key/value form, quoted values too
    ["host=db user=app password=s3cret dbname=prod", "host=db user=app password=*** dbname=prod"],
    ["host=db password='se cr\\'et' dbname=prod", "host=db password=*** dbname=prod"],
  ])("%s -> %s", (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });
});

describe("redact (free text)", () => {
  it("hides URLs, key/value secrets and known values anywhere in a message", () => {
    const text =
      'connect postgres://u:pw1@h/db failed; dsn "host=h password=pw2"; token tok-123456; endpoint "http://AK:pw3@h" is not a URL';
    const out = redact(text, ["tok-123456"]);
    for (const secret of ["pw1", "pw2", "pw3", "tok-123456", "AK:"]) expect(out).not.toContain(secret);
    expect(out).toContain("postgres://u:***@h/db");
  });

  it("hides known values in their escaped forms too", () => {
    const secret = 'p@ss "w/rd"';
    const out = redact(`a ${encodeURIComponent(secret)} b ${JSON.stringify(secret)} c ${secret}`, [secret]);
    expect(out).toBe(`a *** b "***" c ***`);
  });

  it("keeps sentence punctuation and Markdown-escaped allowed names as they are", () => {
    const text = "s3://b/p?region=us-east-1&use\\_path\\_style=true: ok in 12 ms (see s3://b/q?region=x).";
    expect(redact(text)).toBe(text);
  });

  it("leaves ordinary text alone", () => {
    const text = "20240101000000_init.sql: applied 3 statements in 12 ms (s3://bucket/prefix)";
    expect(redact(text)).toBe(text);
  });
});

describe("secretsOf / envSecrets / Secrets", () => {
  it("finds the secrets of a URL and of a key/value string", () => {
    expect(secretsOf("postgres://u:p%40ss@h/db?password=q&sslmode=disable")).toEqual(["p%40ss", "p@ss", "q"]);
    expect(secretsOf("host=h password='a b' dbname=x")).toEqual(["a b"]);
    expect(secretsOf("s3://b/p?endpoint=http://AKIA:pw@h")).toEqual(["AKIA", "pw"]);
  });

  it("takes env values of secret names, not PWD", () => {
    const env = {
      AWS_SECRET_ACCESS_KEY: "wJalrXUt",
      GITHUB_TOKEN: "ghs_x1",
      PWD: "/home/me",
      HOME: "/home/me",
    };
    expect(envSecrets(env).sort()).toEqual(["ghs_x1", "wJalrXUt"]);
    expect(envSecrets({ DATABASE_URL: "postgres://u:pw9@h/db" })).toEqual(["pw9"]);
  });

  it("collects, reports each new secret once and redacts with all of them", () => {
    const seen: string[] = [];
    const secrets = new Secrets((s) => seen.push(s));
    secrets.add("tok-1", "tok-1", "", undefined, "ab");
    secrets.addFrom("postgres://u:pw1@h/db");
    expect(seen).toEqual(["tok-1", "pw1"]);
    expect(secrets.redact("tok-1 and pw1")).toBe("*** and ***");
  });
});
