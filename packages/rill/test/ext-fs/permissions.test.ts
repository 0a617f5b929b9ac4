import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionResult } from '@rillkit/core';
import { createFsExtension, LOCAL_FS_TEMP_PREFIX } from '../../src/ext/fs/index.js';
import { call, failure, tempDir } from './helpers.js';

// Root ignores permission bits, so as root the calls run with the effective uid of `nobody`
// (seteuid applies to every thread, libuv's pool included) and switch back afterwards.
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
// seteuid exists only on POSIX and not inside worker threads (vitest's 'threads' pool).
const canSwitch = !isRoot || (isMainThread && typeof process.seteuid === 'function');
if (!canSwitch)
  console.warn(
    'permissions.test: skipped: running as root where seteuid is unavailable (worker thread?)',
  );

async function unprivileged<T>(run: () => Promise<T>): Promise<T> {
  if (!isRoot) return run();
  process.setegid?.(NOBODY);
  process.seteuid?.(NOBODY);
  try {
    return await run();
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
  }
}

let dir: string;
let cleanup: () => void;
let ext: ExtensionResult;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('perm'));
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'secret.txt'), 'no');
  chmodSync(join(dir, 'secret.txt'), 0o000);
  mkdirSync(join(dir, 'locked'));
  writeFileSync(join(dir, 'locked', 'f.txt'), 'old');
  chmodSync(join(dir, 'locked', 'f.txt'), 0o666);
  chmodSync(join(dir, 'locked'), 0o555);
  mkdirSync(join(dir, 'closed'));
  writeFileSync(join(dir, 'closed', 'x.txt'), 'x');
  chmodSync(join(dir, 'closed'), 0o000);
  ext = createFsExtension({ mounts: { m: { path: dir } } });
});
afterAll(async () => {
  await ext.dispose();
  chmodSync(join(dir, 'locked'), 0o755);
  chmodSync(join(dir, 'closed'), 0o755);
  cleanup();
});

async function permissionError(run: () => Promise<unknown>): Promise<void> {
  const error = await unprivileged(() => failure(run));
  expect(error.code).toBe('FS_BACKEND_FAILURE');
  expect(['EACCES', 'EPERM']).toContain(error.details['errno']);
  expect(error.details['mount']).toBe('m');
  expect(error.message).not.toContain(dir);
}

// Skipped only as root without seteuid (see canSwitch above): root ignores file modes.
describe.skipIf(!canSwitch)('permission errors are coded, never raw, and change nothing', () => {
  it('reading an unreadable file', async () => {
    await permissionError(() => call(ext, 'fs::read', 'm', 'secret.txt'));
  });

  it('writing, appending, removing and mkdir in a read-only folder', async () => {
    await permissionError(() => call(ext, 'fs::write', 'm', 'locked/f.txt', 'new'));
    await permissionError(() => call(ext, 'fs::append', 'm', 'locked/f.txt', 'new'));
    await permissionError(() => call(ext, 'fs::remove', 'm', 'locked/f.txt'));
    await permissionError(() => call(ext, 'fs::mkdir', 'm', 'locked/sub'));
    await permissionError(() => call(ext, 'fs::write', 'm', 'locked/sub/new.txt', 'x'));
    await permissionError(() => call(ext, 'fs::copy', 'm', 'locked/f.txt', 'locked/g.txt'));
    await permissionError(() => call(ext, 'fs::move', 'm', 'locked/f.txt', 'moved.txt'));
    expect(readFileSync(join(dir, 'locked', 'f.txt'), 'utf8')).toBe('old');
    expect(readdirSync(join(dir, 'locked'))).toEqual(['f.txt']);
    expect(readdirSync(dir).filter((n) => n.startsWith(LOCAL_FS_TEMP_PREFIX))).toEqual([]);
  });

  it('listing, stat-ing and probing inside an unreadable folder: errors, not false', async () => {
    await permissionError(() => call(ext, 'fs::list', 'm', 'closed'));
    await permissionError(() => call(ext, 'fs::exists', 'm', 'closed/x.txt'));
    await permissionError(() => call(ext, 'fs::stat', 'm', 'closed/x.txt'));
    await permissionError(() => call(ext, 'fs::find', 'm'));
  });

  it('what is permitted still works', async () => {
    const entries = (await unprivileged(() => call(ext, 'fs::list', 'm'))) as { name: string }[];
    expect(entries.map((e) => e.name)).toEqual(['closed', 'locked', 'secret.txt']);
    expect(await unprivileged(() => call(ext, 'fs::read', 'm', 'locked/f.txt'))).toBe('old');
  });
});
