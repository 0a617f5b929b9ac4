// Writes docs/ref-errors.md from the built @rillkit/core (run `pnpm docs:errors` from the
// repository root, which builds core first). `--check` only compares and exits 1 on drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

let core;
try {
  core = await import('../dist/index.js');
} catch (cause) {
  console.error('gen-errors-doc: @rillkit/core is not built; run `pnpm docs:errors` instead.');
  console.error(String(cause));
  process.exit(1);
}

const target = join(repoRoot, core.ERROR_REFERENCE_PATH);
const text = core.renderErrorReference();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is drift like any other.
  }
  if (current !== text) {
    console.error(`${core.ERROR_REFERENCE_PATH} is out of date; run \`pnpm docs:errors\`.`);
    process.exit(1);
  }
  console.log(`${core.ERROR_REFERENCE_PATH} is up to date.`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${core.ERROR_REFERENCE_PATH} (${Object.keys(core.ERROR_CODES).length} codes)`);
}
