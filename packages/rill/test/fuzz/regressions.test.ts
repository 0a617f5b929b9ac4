/**
 * Every reproducer the fuzz found (reproducers.json) must end in a result or a coded error
 * once its bug is fixed. Open ones are skipped; flip `status` to `fixed` with the fix. They
 * run in the fuzz's child process, because some abort the whole process they run in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReproducers } from './known.js';
import { Sandbox, isContained } from './sandbox.js';

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = new Sandbox({ timeout: 1_000, hangAfter: 10_000, heapMb: 384 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('fuzz reproducers', () => {
  for (const reproducer of loadReproducers()) {
    // An open reproducer is a known, unfixed failure; it runs once its status is `fixed`.
    it.skipIf(reproducer.status === 'open')(
      `${reproducer.class}: ${JSON.stringify(reproducer.script)}`,
      async () => {
        const outcome = await sandbox.run(reproducer.script);
        expect(isContained(outcome), JSON.stringify(outcome)).toBe(true);
      },
    );
  }
});
