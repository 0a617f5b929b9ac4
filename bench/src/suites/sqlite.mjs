// SQLite kv benchmarks: kv::get and kv::set of @rillkit/ext-kv-sqlite, through a script and
// through a direct host call, each against raw better-sqlite3 prepared statements on a
// database with the same pragmas (WAL, the same synchronous level, the same busy timeout),
// measured in the same run on the same disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteKvExtension } from '@rillkit/ext-kv-sqlite';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import Database from 'better-sqlite3';
import { measureRounds, ratioRow } from '../harness.mjs';

const KEYS = 1_000;
const RAW_BASELINE = 'prepared SELECT + JSON.parse';
const RAW_WRITE = 'prepared upsert, autocommit';

const callCtx = {
  name: 'kv',
  signal: new AbortController().signal,
  span: undefined,
  invoke: async () => '',
};

/** The host's plain-SQLite equivalent: a key/JSON table and two prepared statements. */
function openRaw(file, synchronous) {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  db.exec('CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID');
  const select = db.prepare('SELECT value FROM kv WHERE key = ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const insertMany = db.transaction((n) => {
    for (let i = 0; i < n; i++) upsert.run(`key-${i}`, JSON.stringify({ n: i, name: `user ${i}` }));
  });
  insertMany(KEYS);
  return {
    db,
    // A host storing JSON still has to parse and stringify it: the same work as kv::get/set.
    get: (key) => JSON.parse(select.get(key)),
    set: (key, value) => upsert.run(key, JSON.stringify(value)),
  };
}

/** The extension with one mount holding the same 1,000 keys. */
async function openExtension(file, synchronous) {
  const kv = createSqliteKvExtension({ mounts: { bench: { database: file } }, synchronous });
  const entries = new Map();
  for (let i = 0; i < KEYS; i++) {
    entries.set(
      `key-${i}`,
      new Map([
        ['n', i],
        ['name', `user ${i}`],
      ]),
    );
  }
  await kv.functions['kv::setMany'].fn(['bench', entries], callCtx);
  return kv;
}

export async function runSqliteSuite() {
  const rows = [];
  const notes = [];
  const dir = await mkdtemp(join(tmpdir(), 'rillkit-bench-sqlite-'));
  try {
    // --- get (the synchronous level does not matter for reads) -----------------------
    {
      const kv = await openExtension(join(dir, 'get.db'), 'full');
      const raw = openRaw(join(dir, 'get-raw.db'), 'full');
      const get = kv.functions['kv::get'];
      const ctx = createRuntimeContext({ functions: { ...kv.functions } });
      const getAst = parse('kv::get("bench", "key-7")');
      const emptyAst = parse('"key-7"');
      const [scriptNs, directNs, rawNs, emptyNs] = await measureRounds([
        () => execute(getAst, ctx),
        () => get.fn(['bench', 'key-7'], callCtx),
        () => raw.get('key-7'),
        () => execute(emptyAst, ctx),
      ]);
      rows.push(ratioRow('sqlite kv', 'kv::get via script', scriptNs, rawNs, RAW_BASELINE, 2));
      rows.push(
        ratioRow('sqlite kv', 'kv::get via direct host call', directNs, rawNs, RAW_BASELINE),
      );
      notes.push(
        `SQLite kv get: a script that only evaluates a string literal executes in ${fmt(emptyNs)}; ` +
          `kv::get via script ${fmt(scriptNs)}, via a direct host call ${fmt(directNs)}, raw ${fmt(rawNs)}. ` +
          'The difference between script and direct is the interpreter calling a host function.',
      );
      raw.db.close();
      await kv.dispose();
    }

    // --- set, at both synchronous levels ---------------------------------------------------
    for (const synchronous of ['full', 'normal']) {
      const kv = await openExtension(join(dir, `set-${synchronous}.db`), synchronous);
      const raw = openRaw(join(dir, `set-${synchronous}-raw.db`), synchronous);
      const set = kv.functions['kv::set'];
      // Every write stores a value different from the one it replaces: SQLite skips the
      // page write (and so the commit's fsync) when a row is overwritten with identical
      // bytes, which would flatter the figure. 16 values cycle; the script path cycles
      // through 16 pre-parsed scripts with different literals, so it pays for nothing but
      // kv::set. (Thousands of distinct scripts would measure instruction-cache misses of
      // the host instead: no real host runs a different script per write.)
      const VARIANTS = 16;
      const setAsts = Array.from({ length: VARIANTS }, (_, i) =>
        parse(`kv::set("bench", "key-7", [n: ${i}, name: "user"])`),
      );
      const ctx = createRuntimeContext({ functions: { ...kv.functions } });
      let n = 0;
      const [scriptNs, directNs, rawNs] = await measureRounds(
        [
          () => execute(setAsts[n++ % VARIANTS], ctx),
          () =>
            set.fn(
              [
                'bench',
                'key-7',
                new Map([
                  ['n', n++ % VARIANTS],
                  ['name', 'user'],
                ]),
                new Map(),
              ],
              callCtx,
            ),
          () => raw.set('key-7', { n: n++ % VARIANTS, name: 'user' }),
        ],
        { samples: 3 },
      );
      const level = `synchronous=${synchronous.toUpperCase()}`;
      rows.push(
        ratioRow('sqlite kv', `kv::set via script, ${level}`, scriptNs, rawNs, RAW_WRITE, 1.5),
      );
      rows.push(
        ratioRow(
          'sqlite kv',
          `kv::set via direct host call, ${level}`,
          directNs,
          rawNs,
          RAW_WRITE,
          1.5,
        ),
      );
      raw.db.close();
      await kv.dispose();
    }
    notes.push(
      `SQLite kv set: WAL on both sides, ${KEYS.toLocaleString('en-US')}-key tables. A kv::set is one IMMEDIATE ` +
        'transaction: one probe statement (entry counts, the key’s row, the earliest expiry), a purge only when ' +
        'something has expired, the limit check, the write; triggers keep the counts in a meta row, so each commit ' +
        'also writes that page. The raw upsert is one autocommit statement without limits or expiry. ' +
        'FULL (the default) fsyncs every commit, which dominates; NORMAL shows the CPU cost.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}

function fmt(ns) {
  return ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}
