/**
 * The tracker's read side: `getState`, group summaries and stale detection.
 */
import type { Provider } from '../event/types.js';
import { merge } from '../state/merge.js';
import { present, type FailedPolicy, type PresentedState } from '../state/present.js';
import { stateKey } from '../state/key.js';
import { atOfRank, type DeliveryState, type ProgressStatus } from '../state/state.js';
import type { StateStore } from '../storage/state-store.js';
import type { GroupSummary, MessageState, ParticipantSummary, StaleMessage, StaleOptions, StateQuery } from './tracker-types.js';

interface QueryContext {
  store: StateStore;
  policy: FailedPolicy;
  now: () => number;
  defaultProvider?: Provider;
}

/** Read-side helpers bound to one tracker. */
export interface Queries {
  getState(query: string | StateQuery): Promise<MessageState | null>;
  getGroupSummary(query: string | StateQuery): Promise<GroupSummary>;
  findStale(options: StaleOptions): Promise<StaleMessage[]>;
  /** The stale messages not yet reported at their current status (and remembers them). */
  unreported(found: StaleMessage[]): StaleMessage[];
}

const MAX_REPORTED = 100_000;

function summarize(participants: readonly PresentedState[]): ParticipantSummary {
  const s: ParticipantSummary = { total: participants.length, delivered: 0, read: 0, played: 0, failed: 0 };
  for (const p of participants) {
    if (p.deliveredAt !== null) s.delivered++;
    if (p.readAt !== null) s.read++;
    if (p.playedAt !== null) s.played++;
    if (p.status === 'failed') s.failed++;
  }
  return s;
}

/** Creates the read side of a tracker. */
export function createQueries(ctx: QueryContext): Queries {
  const { store, policy } = ctx;
  const show = (s: DeliveryState) => present(s, { failedPolicy: policy });
  // key → status at which it was last reported stale, so sweeps do not repeat themselves.
  const reported = new Map<string, string>();

  /** The states of one message, of one provider: the one asked for, else the default, else the first found. */
  async function statesOf(q: StateQuery): Promise<DeliveryState[]> {
    const all = await store.findByMessage(q.provider === undefined ? { messageId: q.messageId } : { messageId: q.messageId, provider: q.provider });
    if (all.length === 0 || q.provider !== undefined) return all;
    const providers = [...new Set(all.map((s) => s.provider))];
    const chosen = ctx.defaultProvider !== undefined && providers.includes(ctx.defaultProvider) ? ctx.defaultProvider : providers.sort()[0];
    return all.filter((s) => s.provider === chosen);
  }

  return {
    async getState(query) {
      const q: StateQuery = typeof query === 'string' ? { messageId: query } : query;
      const states = await statesOf(q);
      if (q.participantId !== undefined) {
        const one = states.find((s) => s.participantId === q.participantId);
        return one === undefined ? null : show(one);
      }
      const participants = states.filter((s) => s.participantId !== null);
      let message = states.find((s) => s.participantId === null) ?? null;
      if (message === null && participants.length > 0) {
        // Only participants reported: the message is the join of their states, as a message.
        message = { ...participants.reduce((a, b) => merge(a, b)), participantId: null };
      }
      if (message === null) return null;
      const view: MessageState = show(message);
      if (participants.length > 0) view.participants = summarize(participants.map(show));
      return view;
    },

    async getGroupSummary(query) {
      const q: StateQuery = typeof query === 'string' ? { messageId: query } : query;
      const all = await statesOf(q);
      const participants = all
        .filter((s) => s.participantId !== null)
        .sort((a, b) => ((a.participantId as string) < (b.participantId as string) ? -1 : 1))
        .map(show);
      const groupState = all.find((s) => s.participantId === null);
      const sum = summarize(participants);
      return {
        messageId: q.messageId,
        participants,
        group: groupState === undefined ? null : show(groupState),
        total: sum.total,
        deliveredCount: sum.delivered,
        readCount: sum.read,
        playedCount: sum.played,
        failedCount: sum.failed,
      };
    },

    async findStale(options) {
      const t = ctx.now();
      const wanted: readonly ProgressStatus[] =
        options.status === undefined ? ['pending', 'sent'] : typeof options.status === 'string' ? [options.status] : options.status;
      const states = await store.findStale({ olderThan: t - options.olderThanMs, statuses: wanted, ...(options.limit === undefined ? {} : { limit: options.limit }) });
      const out: StaleMessage[] = [];
      for (const s of states) {
        const view = show(s);
        if (!(wanted as readonly string[]).includes(view.status)) continue;
        const since = atOfRank(s, s.rank);
        out.push({ key: stateKey(s), state: view, since: since === 0 ? null : new Date(since).toISOString(), ageMs: since === 0 ? t : t - since });
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
