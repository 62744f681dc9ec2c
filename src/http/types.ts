import type { NormalizeResult } from '../event/types.js';
import type { MetricsHook } from '../metrics/hook.js';
import type { OpenTelemetryApiLike } from '../tracing/api.js';
import type { Secrets } from '../verify/types.js';

/** Request headers: Node's `req.headers` record or a Fetch `Headers`. Names are matched case-insensitively. */
export type WebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What every adapter hands to the core. */
export interface WebhookRequest {
  /** HTTP method, any case. */
  method: string;
  /** Path and query (`/webhooks/whatsapp?hub.mode=…`) or a full URL. */
  url: string;
  headers: WebhookHeaders;
  /**
   * The exact request bytes (or text). `undefined` for a GET. Anything else (a parsed object) is
   * answered with a 500 that explains the raw-body problem.
   */
  rawBody?: Uint8Array | string | null | unknown;
}

/** What the core answers; adapters write it as is. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The webhook function returned by `createWebhookHandler`. */
export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;

/** What `createWebhookHandler` returns: the handler, its body limit, and readiness for adapters that can wait at mount. */
export interface MountedWebhookHandler extends WebhookHandler {
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Resolves when the tracker is ready; rejects with the `ConfigError` of a configuration mistake. */
  ready(): Promise<void>;
}

/** The part of the tracker the handler needs (the real `createTracker()` satisfies it). */
export interface TrackerLike {
  ingest(input: NormalizeResult): Promise<unknown>;
  /**
   * Resolves when the tracker can store (peers loaded, schema migrated). The handler asks at
   * creation and before its first ingest: a `ConfigError` (a missing package) answers 500
   * `config_error` and is logged, never a 503 that would make the provider retry a
   * configuration mistake for days.
   */
  ready?(): Promise<void>;
}

/** Where the handler reports warnings (once per cause) and background errors. Defaults to `console`. */
export interface WebhookLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** Meta WhatsApp Cloud API settings. */
export interface CloudOptions {
  /** The app secret (App Dashboard → Settings → Basic). */
  appSecret?: string;
  /** Several app secrets (rotation, several apps subscribed to one WABA): any one verifies. */
  appSecrets?: readonly string[];
  /** The token you typed in the webhook configuration; enables the GET handshake. */
  verifyToken?: Secrets;
  /** Accept the legacy SHA-1 `X-Hub-Signature` when no SHA-256 header is sent. Off by default. */
  allowSha1?: boolean;
}

/** WASenderApi settings. */
export interface WasenderOptions {
  /** The webhook secret WASender sends in `X-Webhook-Signature` (one or several, for rotation). */
  secret: Secrets;
}

/** Legacy On-Premises API settings: it does not sign, so a shared token is required. */
export interface OnPremOptions {
  /** The shared token (one or several, for rotation). */
  token: Secrets;
  /** Header carrying the token (e.g. added by your proxy). */
  header?: string;
  /** Query parameter carrying the token (e.g. `?token=` in the webhook URL). Default `token` when no header is set. */
  queryParam?: string;
}

/** Options of `createWebhookHandler` and of every adapter. */
export interface WebhookHandlerOptions {
  cloud?: CloudOptions;
  wasender?: WasenderOptions;
  onprem?: OnPremOptions;
  /** Receives each verified, normalized batch (the tracker from `createTracker()`). */
  tracker?: TrackerLike;
  /**
   * Your own step for each verified batch, awaited as part of the acknowledgement (after the
   * tracker): throwing answers 503 so the provider redelivers (event ids are deterministic, so a
   * redelivery is idempotent).
   */
  onEvents?: (result: NormalizeResult) => unknown;
  /**
   * Acknowledge verified webhooks and drop their events, on purpose. Without a `tracker` or
   * `onEvents` the handler refuses to start (`ConfigError` `no_consumer`), because every event
   * would be answered 200, so never redelivered, and lost. Set this only for an endpoint that
   * should verify and answer but keep nothing (the GET handshake while the app is not ready, a
   * signature check in a test). Cannot be combined with `tracker` or `onEvents`.
   */
  discardEvents?: true;
  /** Called with errors that happen after the response (`ack: 'immediate'`). */
  onError?: (error: unknown) => void;
  /** Largest body accepted, in bytes. Default 4 MiB (Meta sends up to 3 MB). Larger → 413. */
  maxBodyBytes?: number;
  /**
   * `'stored'` (default): answer 200 after the tracker has claimed and merged the events (durable
   * when the store is). `'immediate'`: answer 200 right after verification and normalization,
   * ingest afterwards (failures go to `onError`; the provider will not retry them).
   */
  ack?: 'stored' | 'immediate';
  /** Give up on the tracker after this long and answer 503 so the provider retries. Default 10 000 ms. */
  ingestTimeoutMs?: number;
  /** Keep each provider item as `raw` on its event. */
  keepRaw?: boolean;
  logger?: WebhookLogger;
  /** Receives one `webhook(provider, outcome, latencyMs)` per POST and `signatureFailure` per 401. */
  metrics?: MetricsHook;
  /**
   * The `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`): a
   * `bluetick.webhook` span per POST (provider, HTTP status, outcome) with `bluetick.verify` and
   * `bluetick.normalize` children; the tracker's spans nest under it. Default: no tracing.
   */
  tracing?: OpenTelemetryApiLike;
  /**
   * Accept unsigned requests for every provider. ONLY for local experiments: anybody can then
   * inject events. Warns once when the handler is created.
   */
  dangerouslyDisableVerification?: boolean;
  /**
   * On a signature mismatch, look for the common integration mistake behind it (a secret with
   * surrounding whitespace, a body re-serialized before verification) and put the fix in the
   * 401's `hint` and, once, in the log. Off by default: it re-parses the body and runs a dozen
   * more HMACs, work that anyone on the internet could make the server do with a wrong signature.
   * Turn it on while integrating, or use `bluetick verify` on a captured request instead.
   */
  debugSignatures?: boolean;
}
