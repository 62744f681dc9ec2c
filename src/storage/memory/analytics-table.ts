/**
 * Interaction and conversion records of the memory store: insertion-ordered maps keyed by record
 * id (so recording is idempotent), each bounded by dropping the oldest records first (counted).
 */
import type { ConversionRecord, InteractionRecord } from '../../analytics/types.js';

/** The analytics half of the memory store. */
export interface AnalyticsTable {
  addInteractions(records: readonly InteractionRecord[]): void;
  /** False when the id was already recorded. */
  addConversion(record: ConversionRecord): boolean;
  interactions(): Iterable<InteractionRecord>;
  conversions(): Iterable<ConversionRecord>;
  stats(): { interactions: number; conversions: number; evictedRecords: number };
  clear(): void;
}

/** Creates the table, keeping at most `maxRecords` of each kind. */
export function createAnalyticsTable(maxRecords: number): AnalyticsTable {
  let interactions = new Map<string, InteractionRecord>();
  let conversions = new Map<string, ConversionRecord>();
  let evicted = 0;

  function bound(map: Map<string, unknown>): void {
    while (map.size > maxRecords) {
      map.delete(map.keys().next().value as string);
      evicted++;
    }
  }

  return {
    addInteractions(records) {
      for (const r of records) if (!interactions.has(r.id)) interactions.set(r.id, r);
      bound(interactions);
    },
    addConversion(record) {
      if (conversions.has(record.id)) return false;
      conversions.set(record.id, record);
      bound(conversions);
      return true;
    },
    interactions: () => interactions.values(),
    conversions: () => conversions.values(),
    stats: () => ({ interactions: interactions.size, conversions: conversions.size, evictedRecords: evicted }),
    clear() {
      interactions = new Map();
      conversions = new Map();
    },
  };
}
