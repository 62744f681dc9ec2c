/**
 * docs/sinks.md: the Sink interface (the exported type is checked to be the same shape).
 *
 * @sample run
 */
import type { CanonicalEvent, Sink as ExportedSink } from 'bluetick';

interface Sink {
  name?: string;
  write(batch: CanonicalEvent[], context: { signal: AbortSignal; attempt: number }): Promise<void>;
  close?(): Promise<void>;
}

// Both directions: the page's interface is the one bluetick exports.
export const fromPage: ExportedSink = {} as Sink;
export const toPage: Sink = {} as ExportedSink;
