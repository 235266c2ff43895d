// Loading the env block the `env` input names from the project file (`config`, with `vars`).
import { DEFAULT_CONFIG, inputError, loadEnv, messageOf, type ResolvedEnv } from "@migrate-relay/core";
import { input } from "./inputs";
import { inputName } from "./vocabulary";

/** The project file the `config` input names (action.yml's default when a bare `node main.js` runs). */
export const configInput = (): string => input("config") || DEFAULT_CONFIG;

function varsInput(): Record<string, unknown> | undefined {
  const text = input("vars");
  if (text === "") return undefined;
  let vars: unknown;
  try {
    vars = JSON.parse(text);
  } catch (err) {
    throw inputError(
      `${inputName("vars")} is not JSON: ${messageOf(err)}; expected an object, e.g. {"tenant":"a"}`,
    );
  }
  if (vars === null || typeof vars !== "object" || Array.isArray(vars)) {
    throw inputError(`${inputName("vars")} must be a JSON object, e.g. {"tenant":"a"}`);
  }
  return vars as Record<string, unknown>;
}

/** The env instances `env` selects in `config` (one per for_each instance); undefined without `env`. */
export async function envsFromInputs(cwd: string): Promise<ResolvedEnv[] | undefined> {
  const env = input("env");
  if (env === "") return undefined;
  const vars = varsInput();
  return loadEnv({
    config: configInput(),
    env,
    ...(vars ? { vars } : {}),
    cwd,
    getenv: (name) => process.env[name],
  });
}
