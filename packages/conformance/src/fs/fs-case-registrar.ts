import { CaseRegistrar } from '../harness/case-registrar.js';
import type { CallPath } from '../harness/run-script.js';
import { FsTestScope } from './fs-harness.js';
import type { FsSuiteFactory, FsSuiteOptions } from './fs-suite-types.js';

/** The registrar fs case modules receive. */
export class FsCaseRegistrar extends CaseRegistrar<FsTestScope> {
  constructor(
    factory: FsSuiteFactory,
    readonly options: FsSuiteOptions,
    /** Default call path of the instances tests open. */
    readonly via: CallPath,
  ) {
    super(
      options.skip ?? {},
      options.timeoutMs ?? 120_000,
      (expect) => new FsTestScope(expect, factory, options, via),
      options.sequential !== true,
    );
  }
}
