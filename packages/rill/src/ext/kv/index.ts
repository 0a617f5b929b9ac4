export * from './create-kv-extension.js';
export * from './json-kv.js';
export * from './json-kv-file.js';
export * from './memory-kv.js';
