// Sums the vitest json reports (test-results.json) of every workspace package and example and
// prints one closing line: `tests: N passed, N failed, N skipped`. Exits 1 when a report shows
// failures, when a package with a `test` script left no report, or when no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function packageDirs() {
  const dirs = [];
  for (const group of ['packages', 'examples']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(base, entry.name, 'package.json'))) {
        dirs.push(join(base, entry.name));
      }
    }
  }
  return dirs.sort();
}

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

for (const dir of packageDirs()) {
  const name = relative(root, dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const reportPath = join(dir, 'test-results.json');
  if (!existsSync(reportPath)) {
    if (manifest.scripts?.test) {
      problems.push(`${name}: no test-results.json (its tests did not run or crashed)`);
      failed += 1;
    }
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (error) {
    problems.push(`${name}: unreadable test-results.json (${error.message})`);
    failed += 1;
    continue;
  }
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A test file that fails to load has no failed tests, only a failed suite: count it too.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
  );
  for (const file of brokenFiles) {
    problems.push(
      `${name}: ${relative(dir, file.name)} failed to run: ${(file.message ?? '').split('\n')[0]}`,
    );
  }
  passed += p;
  failed += f + brokenFiles.length;
  skipped += s;
  console.log(`${name}: ${p} passed, ${f + brokenFiles.length} failed, ${s} skipped`);
}

for (const problem of problems) console.log(`problem: ${problem}`);
if (passed + failed === 0) console.log('problem: no test ran');
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
