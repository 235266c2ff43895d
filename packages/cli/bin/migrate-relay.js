#!/usr/bin/env node
// The CLI runs from the committed bundle, so `npx migrate-relay` works right after `npm ci`.
import { runCli } from "../../../dist/index.js";

process.exitCode = await runCli(process.argv.slice(2));
