/**
 * bluetick's error hierarchy. Every error carries a stable `code` (for programs) and the HTTP
 * `status` the webhook handler answers with when the error reaches it.
 *
 * @packageDocumentation
 */

/**
 * Base class of every error bluetick throws on purpose.
 *
 * @example
 * ```ts
 * try { normalize(body) } catch (err) {
 *   if (err instanceof BluetickError) console.log(err.code, err.status);
 * }
 * ```
 */
export class BluetickError extends Error {
  /** Stable machine-readable code, e.g. `invalid_json`. */
  readonly code: string;
  /** HTTP status the webhook handler answers with when this error reaches it. */
  readonly status: number;

  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** Why a body could not be normalized at all. */
export type NormalizeErrorCode = 'invalid_json' | 'invalid_body' | 'unknown_provider' | 'invalid_envelope';

/**
 * The envelope itself is unusable: not JSON, not an object, or no known provider's shape.
 * Unknown *items* never throw; they become events.
 *
 * @example
 * ```ts
 * try { normalize('not json') } catch (err) {
 *   if (err instanceof NormalizeError && err.code === 'invalid_json') respond(400);
 * }
 * ```
 */
export class NormalizeError extends BluetickError {
  declare readonly code: NormalizeErrorCode;

  constructor(code: NormalizeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, 400, options);
  }
}

/**
 * A setting is missing or contradictory (for example a provider enabled without its secret).
 * Thrown at construction time, never per request.
 *
 * @example
 * ```ts
 * createWebhookHandler({ cloud: {} }); // throws ConfigError { code: 'missing_secret' }
 * ```
 */
export class ConfigError extends BluetickError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 500, options);
  }
}

/**
 * A storage adapter could not complete an operation (connection refused, timeout, lost
 * connection). The webhook handler answers 503 so the provider retries later.
 *
 * @example
 * ```ts
 * tracker.on('error', (err) => { if (err instanceof StorageError) alert(err.code); });
 * ```
 */
export class StorageError extends BluetickError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 503, options);
  }
}
