export * from './main.js';
export * from './exit-codes.js';
export * from './io.js';
export * from './create-host.js';
export * from './format-result.js';
export * from './run-script.js';
export * from './usage-error.js';
