/**
 * The tracker's read side: getState, group summaries and stale detection.
 */
import type { Provider } from '../event/types.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { AliasMap } from './aliases.js';
import { TrackingError } from './errors.js';
import { trackingKey } from './key.js';
import { present, type FailedPolicy, type PresentedState } from './present.js';
import { atOfRank, type DeliveryState } from './state.js';
import type { GroupSummary, StaleMessage, StaleOptions, StateQuery } from './tracker-types.js';
import { normalizeRecipient } from './track-input.js';

interface QueryContext {
  store: StorageAdapter;
  policy: FailedPolicy;
  now: () => number;
  aliases: AliasMap;
  defaults: { provider?: Provider; accountId?: string | null };
}

type StaleStatus = 'pending' | 'sent' | 'delivered' | 'read';

/** Read-side helpers bound to one tracker. */
export interface Queries {
  getState(query: string | StateQuery, participantId?: string): Promise<PresentedState | null>;
  getGroupSummary(query: string | StateQuery): Promise<GroupSummary>;
  findStale(options: StaleOptions): Promise<StaleMessage[]>;
  /** The stale messages not yet reported at their current status (and remembers them). */
  unreported(found: StaleMessage[]): StaleMessage[];
}

const MAX_REPORTED = 100_000;

/** Creates the read side of a tracker. */
export function createQueries(ctx: QueryContext): Queries {
  const { store, policy } = ctx;
  // key → status at which it was last reported stale, so sweeps do not repeat themselves.
  const reported = new Map<string, string>();

  function toQuery(query: string | StateQuery, participantId?: string): StateQuery {
    const q: StateQuery = typeof query === 'string' ? { messageId: query } : { ...query };
    if (participantId !== undefined) q.participantId = participantId;
    q.messageId = ctx.aliases.resolve(q.messageId);
    if (q.recipientId !== undefined) q.recipientId = normalizeRecipient(q.recipientId);
    return q;
  }

  async function candidates(q: StateQuery): Promise<DeliveryState[]> {
    const provider = q.provider ?? ctx.defaults.provider;
    const accountId = q.accountId !== undefined ? q.accountId : ctx.defaults.accountId;
    const party = q.participantId ?? q.recipientId;
    if (store.findByMessage) {
      const ref: { messageId: string; provider?: Provider; accountId?: string | null } = { messageId: q.messageId };
      if (q.provider !== undefined) ref.provider = q.provider;
      if (q.accountId !== undefined) ref.accountId = q.accountId;
      return store.findByMessage(ref);
    }
    if (provider !== undefined && accountId !== undefined && party !== undefined) {
      const s = await store.get(trackingKey({ provider, accountId, messageId: q.messageId, recipientId: party }));
      return s === null ? [] : [s];
    }
    throw new TrackingError(
      'unsupported',
      'This store has no findByMessage(): give provider, accountId and participantId or recipientId to getState().',
    );
  }

  return {
    async getState(query, participantId) {
      const q = toQuery(query, participantId);
      let found = await candidates(q);
      if (q.participantId !== undefined) found = found.filter((s) => s.participantId === q.participantId);
      else {
        found = found.filter((s) => s.participantId === null);
        if (q.recipientId !== undefined) found = found.filter((s) => s.recipientId === q.recipientId);
      }
      if (found.length === 0) return null;
      if (found.length > 1) {
        throw new TrackingError(
          'ambiguous_message',
          `Message ${q.messageId} has ${found.length} states: give recipientId, provider or accountId to choose one.`,
        );
      }
      return present(found[0] as DeliveryState, { failedPolicy: policy });
    },

    async getGroupSummary(query) {
      const q = toQuery(query);
      const all = await candidates(q);
      const participants = all
        .filter((s) => s.participantId !== null)
        .sort((a, b) => ((a.participantId as string) < (b.participantId as string) ? -1 : 1))
        .map((s) => present(s, { failedPolicy: policy }));
      const groupState = all.find((s) => s.participantId === null);
      const summary: GroupSummary = {
        messageId: q.messageId,
        participants,
        group: groupState === undefined ? null : present(groupState, { failedPolicy: policy }),
        total: participants.length,
        deliveredCount: 0,
        readCount: 0,
        playedCount: 0,
        failedCount: 0,
      };
      for (const p of participants) {
        if (p.deliveredAt !== null) summary.deliveredCount++;
        if (p.readAt !== null) summary.readCount++;
        if (p.playedAt !== null) summary.playedCount++;
        if (p.status === 'failed') summary.failedCount++;
      }
      return summary;
    },

    async findStale(options) {
      if (!store.findStale) throw new TrackingError('unsupported', 'This store does not implement findStale().');
      const t = ctx.now();
      const wanted: readonly StaleStatus[] =
        options.status === undefined ? ['pending', 'sent'] : typeof options.status === 'string' ? [options.status] : options.status;
      const query = { olderThan: t - options.olderThanMs, statuses: wanted, ...(options.limit === undefined ? {} : { limit: options.limit }) };
      const states = await store.findStale(query);
      const out: StaleMessage[] = [];
      for (const s of states) {
        const view = present(s, { failedPolicy: policy });
        if (!(wanted as readonly string[]).includes(view.status)) continue;
        const since = atOfRank(s, s.rank);
        out.push({ key: trackingKey(s), state: view, since: since === 0 ? null : new Date(since).toISOString(), ageMs: since === 0 ? t : t - since });
      }
      return out;
    },

    unreported(found) {
      const fresh: StaleMessage[] = [];
      for (const s of found) {
        if (reported.get(s.key) === s.state.status) continue;
        reported.delete(s.key);
        reported.set(s.key, s.state.status);
        if (reported.size > MAX_REPORTED) reported.delete(reported.keys().next().value as string);
        fresh.push(s);
      }
      return fresh;
    },
  };
}
