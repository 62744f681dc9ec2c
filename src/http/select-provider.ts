import type { Provider } from '../event/types.js';
import { readHeader } from '../verify/signature-header.js';
import type { ResolvedOptions } from './options.js';
import type { WebhookHeaders } from './types.js';

/** Which provider a POST claims to come from, judged by its credentials alone. */
export type ProviderSelection =
  | { ok: true; provider: Provider | null }
  | { ok: false; code: 'ambiguous_credentials' | 'missing_signature' | 'provider_not_configured'; message: string };

const LABEL: Record<Provider, string> = {
  cloud: 'X-Hub-Signature-256 (Meta Cloud API)',
  wasender: 'X-Webhook-Signature (WASenderApi)',
  onprem: 'the On-Premises token',
};

function present(value: string | readonly string[] | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return typeof value === 'string' ? value !== '' : value.length > 0;
}

/** The query string of a path or URL, parsed lazily (only On-Premises tokens need it). */
export function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}

/**
 * Picks the provider from the credential the request carries: `x-hub-signature-256` (or the
 * legacy `x-hub-signature`) → cloud, `x-webhook-signature` → wasender, the configured On-Prem
 * header or query parameter → onprem. Fails closed: credentials of two providers at once are
 * ambiguous, a credential of a provider that is not configured is refused, and no credential at
 * all is refused unless verification is disabled (then `provider: null` and the body decides).
 */
export function selectProvider(headers: WebhookHeaders, url: string, options: ResolvedOptions): ProviderSelection {
  const found: Provider[] = [];
  if (present(readHeader(headers, 'x-hub-signature-256')) || present(readHeader(headers, 'x-hub-signature'))) found.push('cloud');
  if (present(readHeader(headers, 'x-webhook-signature'))) found.push('wasender');
  const onprem = options.onprem;
  if (onprem !== undefined) {
    const byHeader = onprem.header !== null && present(readHeader(headers, onprem.header));
    const byQuery = onprem.queryParam !== null && url.includes('?') && queryOf(url).has(onprem.queryParam);
    if (byHeader || byQuery) found.push('onprem');
  }
  if (found.length > 1) {
    return {
      ok: false,
      code: 'ambiguous_credentials',
      message: `The request carries credentials of several providers (${found.map((p) => LABEL[p]).join(', ')}); refusing to guess.`,
    };
  }
  const provider = found[0];
  if (provider === undefined) {
    if (options.insecure) return { ok: true, provider: null };
    const expected = (['cloud', 'wasender', 'onprem'] as const).filter((p) => options[p] !== undefined).map((p) => LABEL[p]);
    return { ok: false, code: 'missing_signature', message: `The request carries no signature: expected ${expected.join(' or ')}.` };
  }
  if (options[provider] === undefined && !options.insecure) {
    return {
      ok: false,
      code: 'provider_not_configured',
      message: `The request carries ${LABEL[provider]}, but this handler has no ${provider} option configured.`,
    };
  }
  return { ok: true, provider };
}
