// `pnpm bench`: runs every suite, prints one table of ratios and rewrites the generated
// part of bench/RESULTS.md with the figures and the machine they were measured on.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { toMarkdown } from './harness.mjs';
import { runInterpreterSuite } from './suites/interpreter.mjs';
import { runRedisSuite } from './suites/redis.mjs';
import { runS3Suite } from './suites/s3.mjs';
import { runSqliteSuite } from './suites/sqlite.mjs';
import { runStorageSuite } from './suites/storage.mjs';

const SUITES = [
  ['interpreter', runInterpreterSuite],
  ['storage', runStorageSuite],
  ['sqlite', runSqliteSuite],
  ['s3', runS3Suite],
  ['redis', runRedisSuite],
];
const COLUMNS = ['suite', 'name', 'ours', 'baseline', 'ratio', 'goal', 'met'];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const rows = [];
const notes = [];
for (const [name, run] of SUITES) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = await run();
  rows.push(...out.rows);
  notes.push(...out.notes);
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const table = toMarkdown(rows, COLUMNS);
console.log(table);
for (const n of notes) console.log(n);
console.log(`machine: ${machine}`);

if (only.length === 0) {
  const file = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const text = await readFile(file, 'utf8').catch(() => `# Benchmark results\n\n${begin}\n${end}\n`);
  const generated = [
    begin,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    table,
    '',
    ...notes.map((n) => `- ${n}`),
    end,
  ].join('\n');
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + generated + text.slice(j + end.length) : `${text}\n${generated}\n`;
  await writeFile(file, next);
}
