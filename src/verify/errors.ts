import { BluetickError } from '../errors.js';
import type { SignatureFailureReason } from './types.js';

/** Stable codes of {@link SignatureError}, one per failure reason. */
export type SignatureErrorCode = `signature_${SignatureFailureReason}`;

/**
 * A webhook signature (or shared secret) is missing, malformed or wrong. HTTP 401. Thrown by the
 * `assert*` variants of the verify functions; the `verify*` functions return a result instead.
 * The message never contains the secret or the full signature.
 *
 * @example
 * ```ts
 * try {
 *   assertMetaSignature(rawBody, req.headers, process.env.META_APP_SECRET!);
 * } catch (err) {
 *   if (err instanceof SignatureError) return res.status(err.status).end(err.code);
 *   throw err;
 * }
 * ```
 */
export class SignatureError extends BluetickError {
  declare readonly code: SignatureErrorCode;
  /** Why verification failed. */
  readonly reason: SignatureFailureReason;

  constructor(reason: SignatureFailureReason, message: string) {
    super(`signature_${reason}`, message, 401);
    this.reason = reason;
  }
}
