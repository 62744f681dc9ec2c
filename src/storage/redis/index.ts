/**
 * `bluetick/redis`: the Redis storage adapter. ioredis 5 is an optional peer dependency: pass
 * your client, or a URL and the module is imported lazily.
 *
 * @packageDocumentation
 */
export { redisStore } from './store.js';
export type { RedisStore } from './store.js';
export type { RedisStoreOptions, RedisStoreSettings } from './options.js';
export type { RedisMigrationReport } from './migrate.js';
export type { RedisClient } from './connection.js';
export { failFastOptions } from './connection.js';
export { createKeyLayout, hashTagOf } from './keys.js';
export type { KeyLayout, StateKeys, OutboxKeys } from './keys.js';
export type { RedisStorageErrorCode } from './errors.js';
