export type * from './ast/nodes.js';
