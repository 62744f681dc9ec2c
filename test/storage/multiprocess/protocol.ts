/** What a worker reports, and the canonical JSON used to compare presented states. */

/** One transition a worker emitted: presented before/after as canonical JSON. */
export interface EmittedTransition {
  key: string;
  before: string | null;
  after: string;
}

/** A worker's report file. */
export interface WorkerOutput {
  transitions: EmittedTransition[];
  ingested: number;
  duplicates: number;
  ms: number;
}

/** JSON with object keys sorted at every level, so equal values print alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
