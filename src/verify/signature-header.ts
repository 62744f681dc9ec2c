import type { HeaderSource, MetaSignatureHeaders, MetaSignatureInput, MetaVerifyOptions, SignatureFailure } from './types.js';

/** A well-formed Meta signature: which algorithm and its digest in hex (lowercased). */
export interface ParsedMetaSignature {
  ok: true;
  algorithm: 'sha256' | 'sha1';
  hex: string;
}

const SHA256 = /^sha256=([0-9a-f]{64})$/i;
const SHA1 = /^sha1=([0-9a-f]{40})$/i;

type HeaderValue = string | readonly string[] | null | undefined;

function fail(reason: SignatureFailure['reason'], message: string): SignatureFailure {
  return { ok: false, reason, message };
}

/** Reads one header (case-insensitively) from a Fetch `Headers` or a Node-style record. */
export function readHeader(source: HeaderSource, name: string): HeaderValue {
  if (typeof (source as { get?: unknown }).get === 'function') {
    return (source as { get(n: string): string | null }).get(name);
  }
  const record = source as Readonly<Record<string, string | readonly string[] | undefined>>;
  const direct = record[name];
  if (direct !== undefined) return direct;
  // Node lower-cases header names already, so a miss is usually a real miss: compare lengths
  // first to spare a toLowerCase per key on that hot path.
  for (const key in record) {
    if (key.length === name.length && key.toLowerCase() === name) return record[key];
  }
  return undefined;
}

/**
 * One value out of a header that may have been sent several times. Repeats of the same value are
 * tolerated (some proxies duplicate headers); different values are ambiguous, so `null` (fail closed).
 */
export function singleValue(value: HeaderValue): string | undefined | null {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  const distinct = new Set(value.map((v) => v.trim()).filter((v) => v !== ''));
  if (distinct.size === 0) return undefined;
  if (distinct.size > 1) return null;
  return [...distinct][0];
}

function toPair(input: MetaSignatureInput): MetaSignatureHeaders {
  if (input === null || input === undefined) return {};
  if (typeof input === 'string' || Array.isArray(input)) {
    const value = singleValue(input as HeaderValue);
    if (value === null) return { sha256: input as readonly string[] }; // reported as malformed below
    return typeof value === 'string' && /^sha1=/i.test(value) ? { sha1: value } : { sha256: value };
  }
  const object = input as Record<string, unknown>;
  if (typeof object.get !== 'function' && ('sha256' in object || 'sha1' in object)) {
    return input as MetaSignatureHeaders;
  }
  const headers = input as HeaderSource;
  return { sha256: readHeader(headers, 'x-hub-signature-256'), sha1: readHeader(headers, 'x-hub-signature') };
}

/**
 * Validates the signature header(s) before any HMAC is computed: a malformed header is rejected
 * without comparing, and SHA-1 is considered only when no SHA-256 header is present and
 * `allowSha1` is on.
 */
export function parseMetaSignature(
  input: MetaSignatureInput,
  options: MetaVerifyOptions = {},
): ParsedMetaSignature | SignatureFailure {
  const pair = toPair(input);
  const sha256 = singleValue(pair.sha256);
  if (sha256 === null) return fail('malformed', 'X-Hub-Signature-256 was sent several times with different values.');
  if (sha256 !== undefined) {
    const m = SHA256.exec(sha256);
    if (m?.[1] === undefined) {
      return fail('malformed', `X-Hub-Signature-256 must be "sha256=" followed by 64 hex characters (got ${sha256.length} characters).`);
    }
    return { ok: true, algorithm: 'sha256', hex: m[1].toLowerCase() };
  }
  const sha1 = singleValue(pair.sha1);
  if (sha1 === null) return fail('malformed', 'X-Hub-Signature was sent several times with different values.');
  if (sha1 === undefined) return fail('missing', 'No X-Hub-Signature-256 header: the request is not signed by Meta.');
  if (options.allowSha1 !== true) {
    return fail(
      'sha1_not_allowed',
      'Only the legacy SHA-1 X-Hub-Signature was sent. Meta sends X-Hub-Signature-256 with every webhook: check that no proxy strips it, or opt in with allowSha1: true.',
    );
  }
  const m = SHA1.exec(sha1);
  if (m?.[1] === undefined) {
    return fail('malformed', `X-Hub-Signature must be "sha1=" followed by 40 hex characters (got ${sha1.length} characters).`);
  }
  return { ok: true, algorithm: 'sha1', hex: m[1].toLowerCase() };
}
