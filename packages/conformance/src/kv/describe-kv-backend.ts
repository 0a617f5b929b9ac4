import { describe } from 'vitest';
import { basicsCases } from './cases/basics.js';
import { concurrencyCases } from './cases/concurrency.js';
import { declaredCases } from './cases/declared.js';
import { keysCases } from './cases/keys.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { limitsCases } from './cases/limits.js';
import { modesCases } from './cases/modes.js';
import { ttlCases } from './cases/ttl.js';
import { valuesCases } from './cases/values.js';
import { KvCaseRegistrar } from './kv-case-registrar.js';
import type { KvSuiteFactory, KvSuiteOptions } from './kv-suite-types.js';

/**
 * Register the shared kv conformance suite (docs/ref-storage.md) for one backend with
 * vitest. Call it at the top level of a test file; every test gets a random namespace,
 * calls `factory` for the extension instances it needs, and disposes and cleans them up.
 *
 * Behaviour is checked through real scripts (`parse` + `execute`) and, for a second pass of
 * the per-function groups, through direct `functions['kv::…'].fn(args, ctx)` calls.
 *
 * @example
 * // packages/ext-kv-foo/test/conformance.test.ts
 * import { describeKvBackend } from '@rillkit/conformance';
 * describeKvBackend('foo', ({ namespace, mounts }) =>
 *   createFooKvExtension({ mounts: withFooFields(namespace, mounts) }),
 *   { supports: { persistent: true } });
 */
export function describeKvBackend(
  label: string,
  factory: KvSuiteFactory,
  options: KvSuiteOptions = {},
): void {
  describe(`kv conformance: ${label}`, () => {
    for (const via of ['script', 'direct'] as const) {
      const reg = new KvCaseRegistrar(factory, options, via);
      reg.group(`functions via ${via}`, () => basicsCases(reg));
      reg.group(`keys via ${via}`, () => keysCases(reg));
      reg.group(`values via ${via}`, () => valuesCases(reg));
      reg.group(`declared mode via ${via}`, () => declaredCases(reg));
      reg.group(`modes via ${via}`, () => modesCases(reg));
      reg.group(`limits via ${via}`, () => limitsCases(reg));
    }
    const reg = new KvCaseRegistrar(factory, options, 'script');
    reg.group('ttl', () => ttlCases(reg));
    reg.group('concurrency', () => concurrencyCases(reg));
    reg.group('lifecycle', () => lifecycleCases(reg));
  });
}
