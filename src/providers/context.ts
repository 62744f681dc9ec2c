import type { CanonicalEvent } from '../event/types.js';

/** What every provider mapper receives besides the body. */
export interface NormalizeContext {
  /** ISO-8601 UTC receive time, and the fallback for unusable provider timestamps. */
  receivedAt: string;
  /** Attach the provider's item to each event as `raw`. */
  keepRaw: boolean;
}

/** A provider mapper: one parsed envelope in, every item of it out as canonical events. */
export type ProviderNormalizer = (body: Record<string, unknown>, ctx: NormalizeContext) => CanonicalEvent[];
