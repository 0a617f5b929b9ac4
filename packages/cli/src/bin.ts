#!/usr/bin/env node
import { formatError } from '@rillkit/core';
import { runCli } from './main.js';

// Ctrl-C stops the script through its AbortSignal (LIMIT_ABORTED) instead of killing the
// process mid-write; a second Ctrl-C falls back to the default behaviour.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
