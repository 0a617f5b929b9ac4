export type * from './ast/nodes.js';
export { createRuntimeContext, DEFAULT_LIMITS, execute } from './runtime/index.js';
export type {
  ExecuteResult,
  RuntimeCallbacks,
  RuntimeContext,
  RuntimeLimits,
  RuntimeObservability,
  RuntimeOptions,
} from './runtime/index.js';
export { DEFAULT_PARSE_LIMITS, parse } from './parse.js';
export type { ParseOptions } from './parse.js';
