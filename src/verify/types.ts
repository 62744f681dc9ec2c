/**
 * Result types of the verify functions. Every `verify*` function returns one of these instead of
 * a boolean so a caller can tell a missing header from a wrong one; check `result.ok`.
 */

/** Why a signature or shared secret did not verify. */
export type SignatureFailureReason =
  /** No signature header (or token) at all. */
  | 'missing'
  /** The header is not `sha256=<64 hex>` / `sha1=<40 hex>`, or several different values were sent. */
  | 'malformed'
  /** Well-formed, but no configured secret produces it. */
  | 'mismatch'
  /** Only the legacy SHA-1 `X-Hub-Signature` was sent and `allowSha1` is off. */
  | 'sha1_not_allowed';

/** A failed verification. `message` is safe to log: it never contains secrets or signatures. */
export interface SignatureFailure {
  ok: false;
  reason: SignatureFailureReason;
  message: string;
}

/** A successful Meta signature verification. */
export interface MetaSignatureSuccess {
  ok: true;
  /** Which header verified: `sha256` (`X-Hub-Signature-256`) or the legacy `sha1`. */
  algorithm: 'sha256' | 'sha1';
  /** Index of the secret that verified in the list given (0 for a single secret). */
  secretIndex: number;
  /** True when the signature matched the `\uXXXX`-escaped form of the body rather than its raw bytes. */
  escaped: boolean;
}

/** Result of `verifyMetaSignature`. */
export type MetaSignatureResult = MetaSignatureSuccess | SignatureFailure;

/** Result of the shared-secret checks (`verifyWasenderSignature`, `verifySharedToken`). */
export type SharedSecretResult = { ok: true; secretIndex: number } | SignatureFailure;

/** One or several secrets; with several (rotation, several apps on one WABA) any one verifies. */
export type Secrets = string | readonly string[];

/** The two Meta signature headers, when passed explicitly. */
export interface MetaSignatureHeaders {
  /** Value of `X-Hub-Signature-256`, e.g. `sha256=4f1c…`. */
  sha256?: string | readonly string[] | null;
  /** Value of the legacy `X-Hub-Signature`, e.g. `sha1=9a2b…`; used only with `allowSha1`. */
  sha1?: string | readonly string[] | null;
}

/** Anything that carries request headers: a Fetch `Headers`, or Node's `req.headers` record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Where the signature comes from: the `X-Hub-Signature-256` value itself (a `sha1=` value is
 * read as the legacy header), `{ sha256, sha1 }`, or the request's headers.
 */
export type MetaSignatureInput = string | readonly string[] | null | undefined | MetaSignatureHeaders | HeaderSource;

/** Options of `verifyMetaSignature`. */
export interface MetaVerifyOptions {
  /**
   * Accept the legacy SHA-1 `X-Hub-Signature` when no SHA-256 header is present. Off by default:
   * Meta sends `X-Hub-Signature-256` on every webhook, and SHA-1 is never used when it is present.
   */
  allowSha1?: boolean;
  /**
   * When the raw bytes do not verify and contain non-ASCII, retry over the `\uXXXX`-escaped form
   * (how Meta signs). On by default.
   */
  escapedFallback?: boolean;
}
