/**
 * bluetick: WhatsApp webhook normalization and delivery tracking.
 *
 * @packageDocumentation
 */
export { normalize } from './normalize.js';
export type { NormalizeOptions } from './normalize.js';
export { eventSchema } from './event/schema.js';
export { classifyErrorCode } from './event/error-classes.js';
export { detectProvider } from './providers/detect.js';
export { BluetickError, NormalizeError, ConfigError, StorageError } from './errors.js';
export type { NormalizeErrorCode } from './errors.js';
export type * from './event/types.js';
