import { parseDuration as parse } from "@migrate-relay/core";

/** Go-style durations as Atlas takes them ("10s", "1m30s", "500ms"); a bare number is seconds. */
export const parseDuration = (text: string, flag: string): number => parse(text, `--${flag}`);
