import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { assertBuilt, finished, spawnFixture } from './child-process.js';
import { call, readStore, tempDir } from './helpers.js';

describe('json kv: a writer killed with SIGKILL', () => {
  it('leaves a loadable store holding every acknowledged write', { timeout: 60_000 }, async () => {
    assertBuilt();
    const dir = tempDir();
    const file = join(dir, 'store.json');
    const child = spawnFixture('write-until-killed.mjs', [file]);
    const acked: number[] = [];
    let buffer = '';
    const done = finished(child);
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) acked.push(Number(line.slice('ack '.length)));
        if (acked.length >= 150 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    const exit = await done;
    expect(exit.signal).toBe('SIGKILL');

    // The file parses and holds every acknowledged write (perhaps one more, in flight).
    const stored = readStore(file);
    for (const i of acked)
      expect(stored.values[`k${i}`], `k${i}`).toEqual({ n: i, pad: `${i}-0123456789abcdef` });
    expect(Object.keys(stored.values).length).toBeGreaterThanOrEqual(acked.length);

    // Another writer can carry on: it takes over the dead writer's lock once it is stale.
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    expect(await call(kv, 'get', 's', `k${acked.at(-1)}`)).toEqual({
      n: acked.at(-1),
      pad: `${acked.at(-1)}-0123456789abcdef`,
    });
    await call(kv, 'set', 's', 'after-crash', true);
    await kv.dispose();
    expect(readStore(file).values['after-crash']).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
    // A temp file of the interrupted write may remain; it is never mistaken for the store.
    expect(readdirSync(dir).filter((n) => !n.endsWith('.tmp'))).toEqual(['store.json']);
  });
});
