import type { ErrorClass, ProviderError } from './types.js';

/**
 * The one table that says what a host can do about a provider error code.
 *
 * - `retryable`: transient on the provider's side or a rate limit; sending again later may work.
 * - `permanent`: the request or the recipient is wrong; sending the same thing again will fail.
 * - `policy`: WhatsApp's rules refused it (24-hour window, marketing opt-out, ecosystem limits,
 *   quality, payment); fix the policy problem (send a template, wait, settle billing) first.
 * - `unknown`: everything not listed.
 *
 * Sources: Meta's Cloud API error-code reference,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 * (formerly /docs/whatsapp/cloud-api/support/error-codes), and the On-Premises API error
 * reference, https://developers.facebook.com/docs/whatsapp/on-premises/errors (the 4xx/1xxx/2xxx
 * codes below, which On-Premises uses and Cloud does not).
 */
const TABLE: Record<string, ErrorClass> = {
  // --- Cloud API: authorization and throttling (Graph API codes) ---
  '0': 'permanent', // AuthException
  '1': 'retryable', // API Unknown
  '2': 'retryable', // API Service: temporary downtime
  '3': 'permanent', // API Method: capability or permission missing
  '4': 'retryable', // API Too Many Calls
  '10': 'permanent', // Permission denied
  '100': 'permanent', // Invalid parameter
  '190': 'permanent', // Access token expired
  '368': 'policy', // Temporarily blocked for policy violations
  '80007': 'retryable', // Rate limit issues (WABA)
  '130429': 'retryable', // Rate limit hit (Cloud API throughput)
  '130472': 'policy', // User's number is part of an experiment
  '130497': 'policy', // Business account restricted from messaging users in this country
  '131000': 'retryable', // Something went wrong
  '131005': 'permanent', // Access denied
  '131008': 'permanent', // Required parameter is missing
  '131009': 'permanent', // Parameter value is not valid
  '131016': 'retryable', // Service unavailable
  '131021': 'permanent', // Recipient cannot be sender
  '131026': 'permanent', // Message undeliverable (not on WhatsApp, old app, not accepted terms)
  '131031': 'policy', // Business account has been locked
  '131037': 'policy', // Display name needs approval
  '131042': 'policy', // Business eligibility payment issue
  '131045': 'permanent', // Incorrect certificate (registration)
  '131047': 'policy', // Re-engagement message: more than 24 hours since the user last replied
  '131048': 'policy', // Spam rate limit hit (quality)
  '131049': 'policy', // Meta chose not to deliver (per-user marketing limit, ecosystem health)
  '131050': 'policy', // User stopped marketing messages
  '131051': 'permanent', // Unsupported message type
  '131052': 'retryable', // Media download error
  '131053': 'permanent', // Media upload error (unsupported or corrupt media)
  '131056': 'retryable', // (Business, consumer) pair rate limit hit
  '131057': 'retryable', // Account in maintenance mode
  '132000': 'permanent', // Template param count mismatch
  '132001': 'permanent', // Template does not exist
  '132005': 'permanent', // Template hydrated text too long
  '132007': 'policy', // Template format character policy violated
  '132012': 'permanent', // Template parameter format mismatch
  '132015': 'policy', // Template is paused (low quality)
  '132016': 'policy', // Template is disabled
  '132068': 'policy', // Flow is blocked
  '132069': 'retryable', // Flow is throttled
  '133000': 'permanent', // Incomplete deregistration
  '133004': 'retryable', // Server temporarily unavailable
  '133005': 'permanent', // Two-step verification PIN mismatch
  '133006': 'permanent', // Phone number re-verification needed
  '133008': 'retryable', // Too many two-step verification PIN guesses
  '133009': 'retryable', // Two-step verification PIN guessed too fast
  '133010': 'permanent', // Phone number not registered
  '133015': 'retryable', // Please wait a few minutes before registering
  '133016': 'retryable', // Register/deregister rate limit exceeded
  '135000': 'unknown', // Generic user error
  // --- On-Premises API ---
  '400': 'permanent', // Media download error / bad request
  '402': 'policy', // Business eligibility: payment issue
  '408': 'retryable', // Message is not valid yet (expired while queued)
  '410': 'permanent', // Message expired
  '429': 'retryable', // Rate limit hit
  '430': 'policy', // Certificate/business not approved for this volume
  '432': 'policy', // Certificate/ID mismatch
  '433': 'policy', // Certificate signature invalid
  '470': 'policy', // Re-engagement message: 24-hour window closed
  '471': 'policy', // Spam rate limit hit
  '472': 'policy', // User's number is part of an experiment
  '480': 'policy', // Identity of the contact changed: user must be re-verified before sending
  '500': 'retryable', // Generic error
  '501': 'permanent', // Unsupported message type
  '1000': 'retryable', // Generic error
  '1001': 'permanent', // Message too long
  '1002': 'permanent', // Invalid recipient type
  '1004': 'permanent', // Resource already exists
  '1005': 'permanent', // Access denied
  '1006': 'permanent', // Resource not found
  '1007': 'policy', // Recipient blocked to receive message
  '1008': 'permanent', // Required parameter is missing
  '1009': 'permanent', // Parameter value is not valid
  '1010': 'permanent', // Parameter is not required
  '1011': 'retryable', // Service not ready
  '1013': 'permanent', // User is not valid
  '1014': 'retryable', // Internal error
  '1015': 'retryable', // Too many requests
  '1016': 'retryable', // System overloaded
  '1021': 'permanent', // Bad user (sending to yourself)
  '1022': 'permanent', // Webhook URL not configured
  '1023': 'retryable', // Database error
  '1025': 'permanent', // Invalid request
  '1026': 'permanent', // Receiver incapable (old app)
  '1028': 'policy', // User identity changed
  '1031': 'policy', // Sender account blocked
  '2000': 'permanent', // Template param count mismatch
  '2001': 'permanent', // Template missing
  '2002': 'permanent', // Template could not be fetched
  '2003': 'permanent', // Template language pack missing
  '2060': 'policy', // Template rejected
  '2064': 'permanent', // Invalid template namespace
  // --- WASenderApi (named codes derived from its message.sent failures) ---
  invalid_number: 'permanent', // The number is not on WhatsApp
};

/**
 * The {@link ErrorClass} of a provider error code, from one cited table.
 *
 * @example
 * ```ts
 * classifyErrorCode('131047'); // 'policy'  (24-hour window closed)
 * classifyErrorCode(130429);   // 'retryable'
 * classifyErrorCode('999999'); // 'unknown'
 * ```
 */
export function classifyErrorCode(code: string | number): ErrorClass {
  const key = String(code);
  // Own keys only: a code like `constructor` or `__proto__` must not find Object.prototype's.
  return Object.hasOwn(TABLE, key) ? (TABLE[key] as ErrorClass) : 'unknown';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Maps one provider error object (`{code, title, message, error_data: {details}, href}`, Cloud or
 * On-Premises) to a {@link ProviderError}. Lenient: missing codes become `"unknown"`.
 */
export function toProviderError(raw: unknown): ProviderError {
  const e = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rawCode = e.code;
  const code =
    typeof rawCode === 'number' || (typeof rawCode === 'string' && rawCode.length > 0) ? String(rawCode) : 'unknown';
  const out: ProviderError = { code, class: classifyErrorCode(code) };
  const title = str(e.title);
  if (title !== undefined) out.title = title;
  const message = str(e.message);
  if (message !== undefined) out.message = message;
  const data = e.error_data;
  const details =
    data !== null && typeof data === 'object' ? str((data as Record<string, unknown>).details) : str(e.details);
  if (details !== undefined) out.details = details;
  const href = str(e.href);
  if (href !== undefined) out.href = href;
  return out;
}

/**
 * Maps an `errors` array (or anything else, leniently) to {@link ProviderError}s. Holes of a sparse
 * array are skipped (`map` would keep them as holes that serialize as `null`).
 */
export function toProviderErrors(raw: unknown): ProviderError[] {
  if (!Array.isArray(raw)) return [];
  const out: ProviderError[] = [];
  for (let i = 0; i < raw.length; i++) if (i in raw) out.push(toProviderError(raw[i]));
  return out;
}
