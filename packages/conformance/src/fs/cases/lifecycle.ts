import type { FsCaseRegistrar } from '../fs-case-registrar.js';

/** Invalid common fs mount options, each with the field the error must name. */
const INVALID_OPTIONS: readonly (readonly [field: string, options: Record<string, unknown>])[] = [
  ['mode', { mode: 'rw' }],
  ['mode', { mode: 1 }],
  ['maxFileSize', { maxFileSize: 0 }],
  ['maxFileSize', { maxFileSize: -1 }],
  ['maxFileSize', { maxFileSize: 1.5 }],
  ['maxFileSize', { maxFileSize: '10' }],
  ['glob', { glob: '' }],
  ['glob', { glob: 5 }],
  ['glob', { glob: '*.md\n' }],
  ['colour', { colour: 'blue' }],
];

/** §1 lifecycle: config validation and dispose. */
export function fsLifecycleCases(reg: FsCaseRegistrar): void {
  reg.test('invalid mount options fail with FS_INVALID_CONFIG naming the field', async (t) => {
    for (const [field, options] of INVALID_OPTIONS) {
      const err = await t.openFails('FS_INVALID_CONFIG', { m: options });
      const named =
        err.message.includes(field) || String(err.details['field'] ?? '').includes(field);
      t.expect(named, `error for ${JSON.stringify(options)} names ${field}: ${err.message}`).toBe(
        true,
      );
    }
  });

  reg.test('dispose is idempotent, also when called concurrently', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'f.txt', 'x');
    t.expect(await Promise.all([fs.dispose(), fs.dispose()])).toEqual([undefined, undefined]);
    t.expect(await fs.dispose()).toBeUndefined();
  });

  reg.test('calls after dispose fail with FS_BACKEND_UNAVAILABLE', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.dispose();
    await fs.fails('FS_BACKEND_UNAVAILABLE', 'read', 'm', 'f.txt');
    await fs.fails('FS_BACKEND_UNAVAILABLE', 'write', 'm', 'f.txt', 'x');
  });

  reg.test('files outlive the instance that wrote them', async (t) => {
    const writer = await t.open({ m: {} });
    await writer.call('write', 'm', 'dir/f.txt', 'kept');
    await writer.dispose();
    const reader = await t.open({ m: {} });
    await reader.expectCall('kept', 'read', 'm', 'dir/f.txt');
  });
}
