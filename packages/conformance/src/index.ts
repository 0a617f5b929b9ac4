export { describeKvBackend } from './kv/describe-kv-backend.js';
export { describeFsBackend } from './fs/describe-fs-backend.js';
export type {
  CommonKvMountOptions,
  KvSuiteFactory,
  KvSuiteFactoryInput,
  KvSuiteInstance,
  KvSuiteOptions,
  KvSuiteSchemaEntry,
  KvSuiteSupports,
  KvSuiteMode,
} from './kv/kv-suite-types.js';
export type {
  CommonFsMountOptions,
  FsSuiteFactory,
  FsSuiteFactoryInput,
  FsSuiteInstance,
  FsSuiteOptions,
} from './fs/fs-suite-types.js';
export type { SkipList, Requirement } from './harness/case-registrar.js';
export type { SuiteInstance } from './harness/suite-scope.js';
export { randomNamespace } from './harness/random-namespace.js';
export {
  HOSTILE_OPTION_VALUES,
  type OptionFieldSpec,
  type OptionsFailClosedSpec,
  describeOptionsFailClosed,
  withOption,
} from './options/describe-options-fail-closed.js';
export {
  fsCommonMountFields,
  fsCommonTopFields,
  kvCommonMountFields,
  kvCommonTopFields,
} from './options/common-option-fields.js';
