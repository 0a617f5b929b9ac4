#!/usr/bin/env node
import { formatError } from '@rillkit/core';
import { runCli } from './main.js';

// Ctrl-C stops the script through its AbortSignal (LIMIT_ABORTED, exit 130) instead of
// killing the process mid-write, so the extensions are still disposed and every write the
// script saw complete is on disk; a second Ctrl-C falls back to the default behaviour.
const controller = new AbortController();

// stderr carries the script's log output and errors. On Node 20 the AWS SDK (loaded for s3
// mounts) would add a multi-line notice to every run that its releases after January 2027
// need Node 22; the S3 package README says so instead. Set the variable to "false" to see it.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

process.once('SIGINT', () => controller.abort());

try {
  process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
