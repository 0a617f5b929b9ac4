import { CaseRegistrar, type Requirement } from '../harness/case-registrar.js';
import type { CallPath } from '../harness/run-script.js';
import { KvTestScope } from './kv-harness.js';
import type { KvSuiteFactory, KvSuiteOptions } from './kv-suite-types.js';

/** The registrar kv case modules receive: scopes plus the backend's declared capabilities. */
export class KvCaseRegistrar extends CaseRegistrar<KvTestScope> {
  constructor(
    factory: KvSuiteFactory,
    readonly options: KvSuiteOptions,
    /** Default call path of the stores tests open. */
    readonly via: CallPath,
  ) {
    super(
      options.skip ?? {},
      options.timeoutMs ?? 120_000,
      (expect) => new KvTestScope(expect, factory, options, via),
      options.sequential !== true,
    );
  }

  /** Needs data to survive dispose (a new instance with the same namespace sees it). */
  get persistent(): Requirement {
    return {
      met: this.options.supports?.persistent === true,
      reason: 'the backend does not keep data after dispose (supports.persistent)',
    };
  }

  /** Needs two live instances over one namespace to share one store. */
  get sharedInstances(): Requirement {
    return {
      met: this.options.supports?.sharedInstances === true,
      reason: 'instances of this backend do not share a store (supports.sharedInstances)',
    };
  }

  /** Needs `writePolicy: 'dispose'` to work. */
  get writePolicyDispose(): Requirement {
    return {
      met: this.options.supports?.writePolicyDispose === true,
      reason: "the backend does not declare writePolicy 'dispose' (supports.writePolicyDispose)",
    };
  }
}
