export { createRuntimeContext, DEFAULT_LIMITS } from './context.js';
export type {
  RuntimeCallbacks,
  RuntimeContext,
  RuntimeLimits,
  RuntimeObservability,
  RuntimeOptions,
} from './context.js';
export { execute } from './execute.js';
export type { ExecuteResult } from './execute.js';
