import { describe } from 'vitest';
import { atomicityCases } from './cases/atomicity.js';
import { filesCases } from './cases/files.js';
import { globCases } from './cases/glob.js';
import { fsLifecycleCases } from './cases/lifecycle.js';
import { fsLimitsCases } from './cases/limits.js';
import { fsModesCases } from './cases/modes.js';
import { pathsCases } from './cases/paths.js';
import { FsCaseRegistrar } from './fs-case-registrar.js';
import type { FsSuiteFactory, FsSuiteOptions } from './fs-suite-types.js';

/**
 * Register the shared fs conformance suite (docs/ref-storage.md) for one backend with vitest.
 * Call it at the top level of a test file; every test gets a random namespace, calls
 * `factory` for the extension instances it needs (reopening a namespace to see the same
 * files under other mount options), and disposes and cleans them up.
 *
 * Behaviour is checked through real scripts (`parse` + `execute`) and, for a second pass of
 * the per-function, path and glob groups, through direct `functions['fs::…'].fn(args, ctx)`.
 *
 * @example
 * // packages/ext-fs-foo/test/conformance.test.ts
 * import { describeFsBackend } from '@rillkit/conformance';
 * describeFsBackend('foo', ({ namespace, mounts }) =>
 *   createFooFsExtension({ mounts: withFooFields(namespace, mounts) }));
 */
export function describeFsBackend(
  label: string,
  factory: FsSuiteFactory,
  options: FsSuiteOptions = {},
): void {
  describe(`fs conformance: ${label}`, () => {
    for (const via of ['script', 'direct'] as const) {
      const reg = new FsCaseRegistrar(factory, options, via);
      reg.group(`functions via ${via}`, () => filesCases(reg));
      reg.group(`paths via ${via}`, () => pathsCases(reg));
      reg.group(`glob via ${via}`, () => globCases(reg));
      reg.group(`modes via ${via}`, () => fsModesCases(reg));
    }
    const reg = new FsCaseRegistrar(factory, options, 'script');
    reg.group('limits', () => fsLimitsCases(reg));
    reg.group('atomicity', () => atomicityCases(reg));
    reg.group('lifecycle', () => fsLifecycleCases(reg));
  });
}
