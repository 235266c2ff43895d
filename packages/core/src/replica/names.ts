import { inputError } from "../errors";

// Slugs, tags and versions end up in object keys, file names and URLs: a small alphabet keeps them
// safe everywhere (no `/`, no `..`, no spaces).
const NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_TAG = 128;

function checkName(what: string, value: string, max: number): string {
  if (value === "") throw inputError(`${what} is empty`);
  if (value.length > max)
    throw inputError(`${what} "${value.slice(0, 40)}..." is longer than ${max} characters`);
  if (!NAME.test(value) || value === "." || value === "..") {
    throw inputError(`${what} "${value}" may contain only letters, digits, "-", "_" and "."`);
  }
  return value;
}

/** A repository name (registry slug, folder in blob layouts). */
export const checkSlug = (slug: string): string => checkName("repository name", slug, 255);
/** A tag: up to 128 letters, digits, `-`, `_`, `.`. */
export const checkTag = (tag: string): string => checkName("tag", tag, MAX_TAG);
/** A migration version as used in versions/<v>.json. */
export const checkVersion = (version: string): string => checkName("version", version, 255);
