import { ConfigError } from '../errors.js';
import type { NormalizeResult } from '../event/types.js';
import { hasSurroundingWhitespace, toSecretList } from '../verify/secrets.js';
import type { MetricsHook } from '../metrics/hook.js';
import { resolveTracing, type Tracing } from '../tracing/tracing.js';
import { logError } from './log-error.js';
import type { TrackerLike, WebhookHandlerOptions, WebhookLogger } from './types.js';

/** A value, or a promise of it: the handler's steps answer synchronously when nothing is awaited. */
export type MaybePromise<T> = T | Promise<T>;

/** Options after validation: every enabled provider has its secrets as a list. */
export interface ResolvedOptions {
  cloud?: { secrets: string[] | null; verifyTokens: string[] | null; allowSha1: boolean };
  wasender?: { secrets: string[] | null };
  onprem?: { tokens: string[] | null; header: string | null; queryParam: string | null };
  insecure: boolean;
  /** Run the signature diagnostics on a mismatch (`debugSignatures`). */
  debugSignatures: boolean;
  tracker?: TrackerLike;
  onEvents?: (result: NormalizeResult) => unknown;
  onError: (error: unknown) => void;
  maxBodyBytes: number;
  ack: 'stored' | 'immediate';
  ingestTimeoutMs: number;
  keepRaw: boolean;
  logger: WebhookLogger;
  metrics?: MetricsHook;
  tracing?: Tracing;
  /** Logs a warning once per code for the lifetime of the handler. */
  warnOnce(code: string, message: string): void;
  /** The tracker's readiness, asked once at creation and again after a failure. */
  ready(): Promise<void>;
}

/** Default body limit: 4 MiB, above the 3 MB Meta documents as its maximum. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

function secretsOrNull(value: string | readonly string[] | undefined, what: string, insecure: boolean): string[] | null {
  if (value === undefined && insecure) return null;
  return toSecretList(value as string | readonly string[], what);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError('invalid_option', `${name} must be a positive number.`);
  return value;
}

/**
 * A handler with nowhere to put events would answer 200 (so the provider never redelivers) and
 * drop them all without a word: refuse it, unless the caller says it means it.
 */
function assertConsumer(options: WebhookHandlerOptions): void {
  const consumers = options.tracker !== undefined || options.onEvents !== undefined;
  if (options.discardEvents !== undefined && options.discardEvents !== true) {
    throw new ConfigError('invalid_option', 'discardEvents must be true, or left out.');
  }
  if (options.discardEvents === true && consumers) {
    throw new ConfigError('invalid_option', 'discardEvents: true drops every event, but a tracker or onEvents is configured too: remove one or the other.');
  }
  if (!consumers && options.discardEvents !== true) {
    throw new ConfigError(
      'no_consumer',
      'createWebhookHandler(): give a tracker or onEvents to receive the events; without either every verified event would be acknowledged with 200 and dropped. Set discardEvents: true if that is what you want (a handshake-only or verify-only endpoint).',
    );
  }
}

/**
 * Validates the options and fails closed: a provider without its secret refuses to start
 * (`ConfigError` `missing_secret`) unless `dangerouslyDisableVerification` is set, and so does a
 * handler with neither `tracker` nor `onEvents` (`no_consumer`) unless `discardEvents` is set.
 */
export function resolveOptions(options: WebhookHandlerOptions): ResolvedOptions {
  const logger: WebhookLogger = options.logger ?? console;
  const warned = new Set<string>();
  const warnOnce = (code: string, message: string) => {
    if (warned.has(code)) return;
    warned.add(code);
    logger.warn(`[bluetick] ${message}`);
  };
  const insecure = options.dangerouslyDisableVerification === true;
  const { cloud, wasender, onprem } = options;
  if (!insecure && cloud === undefined && wasender === undefined && onprem === undefined) {
    throw new ConfigError('no_provider', 'createWebhookHandler(): configure at least one of cloud, wasender or onprem.');
  }
  const resolved: ResolvedOptions = {
    insecure,
    debugSignatures: options.debugSignatures === true,
    // The default logs the error's class and codes only (see log-error.ts); onError gets it whole.
    onError: options.onError ?? ((error) => logError(logger, 'webhook ingestion failed after the response (pass onError to handle the error itself)', error)),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    ack: options.ack ?? 'stored',
    ingestTimeoutMs: positive('ingestTimeoutMs', options.ingestTimeoutMs, 10_000),
    keepRaw: options.keepRaw === true,
    logger,
    warnOnce,
    ready: () => Promise.resolve(),
  };
  if (options.ack !== undefined && options.ack !== 'stored' && options.ack !== 'immediate') {
    throw new ConfigError('invalid_option', `ack must be 'stored' or 'immediate'.`);
  }
  if (options.tracker !== undefined) {
    const tracker = options.tracker;
    resolved.tracker = tracker;
    if (typeof tracker.ready === 'function') {
      let readiness: Promise<void> | null = null;
      resolved.ready = () => {
        readiness ??= (tracker.ready as () => Promise<void>)().catch((err: unknown) => {
          readiness = null; // an outage may end (a ConfigError will fail again, and be reported again)
          throw err;
        });
        return readiness;
      };
      // Asked now, so a missing package shows in the logs at startup, not at the first webhook.
      resolved.ready().catch((err: unknown) => {
        if (err instanceof ConfigError) warnOnce(`config:${err.code}`, `The tracker is misconfigured (${err.code}): ${err.message}`);
      });
    }
  }
  if (options.onEvents !== undefined) resolved.onEvents = options.onEvents;
  if (options.metrics !== undefined) resolved.metrics = options.metrics;
  const tracing = resolveTracing(options.tracing, 'createWebhookHandler');
  if (tracing !== undefined) resolved.tracing = tracing;
  if (cloud !== undefined) {
    if (cloud.appSecret !== undefined && cloud.appSecrets !== undefined) {
      throw new ConfigError('invalid_option', 'cloud: give appSecret or appSecrets, not both.');
    }
    const secrets = secretsOrNull(cloud.appSecrets ?? cloud.appSecret, 'cloud.appSecret', insecure);
    const verifyTokens = cloud.verifyToken === undefined ? null : toSecretList(cloud.verifyToken, 'cloud.verifyToken');
    resolved.cloud = { secrets, verifyTokens, allowSha1: cloud.allowSha1 === true };
  }
  if (wasender !== undefined) resolved.wasender = { secrets: secretsOrNull(wasender.secret, 'wasender.secret', insecure) };
  if (onprem !== undefined) {
    const header = onprem.header?.toLowerCase() ?? null;
    const queryParam = onprem.queryParam ?? (header === null ? 'token' : null);
    resolved.onprem = { tokens: secretsOrNull(onprem.token, 'onprem.token', insecure), header, queryParam };
  }
  const all = [...(resolved.cloud?.secrets ?? []), ...(resolved.wasender?.secrets ?? []), ...(resolved.onprem?.tokens ?? [])];
  if (all.some(hasSurroundingWhitespace)) {
    warnOnce('secret_whitespace', 'A configured secret has leading or trailing whitespace; signatures will not verify unless the provider uses it too. Trim it.');
  }
  assertConsumer(options);
  if (insecure) {
    warnOnce('insecure', 'dangerouslyDisableVerification is on: webhook signatures are NOT checked and anyone can inject events. Never use this in production.');
  }
  return resolved;
}
