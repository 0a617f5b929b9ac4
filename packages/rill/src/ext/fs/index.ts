export { createFsExtension } from './create-fs-extension.js';
export { LocalFsBackend, LOCAL_FS_TEMP_PREFIX } from './local-fs.js';
export type { FsExtensionOptions, LocalFsMountOptions } from './options.js';
