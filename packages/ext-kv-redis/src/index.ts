export { createRedisKvExtension } from './create-redis-kv-extension.js';
export {
  REDIS_KV_DEFAULT_COMMAND_TIMEOUT,
  REDIS_KV_DEFAULT_CONNECT_TIMEOUT,
  type RedisKvClient,
  type RedisKvMountOptions,
  type RedisKvOptions,
} from './options.js';
export { REDIS_KV_FUNCTION_LIBRARY } from './lua-scripts.js';
export { REDIS_KV_MAX_UPDATE_ATTEMPTS } from './redis-kv.js';
