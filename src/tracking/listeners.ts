/**
 * Listener plumbing over eventemitter3 that AWAITS async listeners and collects their failures.
 * Each registered listener is wrapped: a throw or a rejected promise is recorded in the collector
 * of the ingest call that emitted it (set synchronously around emission, so concurrent ingests
 * never mix their failures), and never becomes an unhandled rejection.
 */
import { EventEmitter } from 'eventemitter3';

/** One listener (or forward hook) failure, reported by `ingest` and through the `error` event. */
export interface ListenerFailure {
  /** The tracker event whose listener failed, or `forward` for the sink hook. */
  source: string;
  error: unknown;
  /** The first argument the listener received (usually the canonical event). */
  subject?: unknown;
}

/** Collects one ingest's pending listener promises and failures. */
export interface Collector {
  pending: Promise<unknown>[];
  failures: ListenerFailure[];
}

type AnyFn = (...args: never[]) => unknown;

/** A typed emitter whose emissions are collected. */
export interface ListenerHub<Events extends { [K in keyof Events]: AnyFn }> {
  on<K extends keyof Events & string>(name: K, fn: Events[K]): void;
  once<K extends keyof Events & string>(name: K, fn: Events[K]): void;
  off<K extends keyof Events & string>(name: K, fn?: Events[K]): void;
  has(name: keyof Events & string): boolean;
  /** Emits into `collector`; returns synchronously. */
  emit<K extends keyof Events & string>(collector: Collector, name: K, ...args: Parameters<Events[K]>): void;
  /** Waits for every collected promise (including ones started by listeners while waiting). */
  settle(collector: Collector): Promise<void>;
}

/** Creates a {@link ListenerHub}. */
export function createListenerHub<Events extends { [K in keyof Events]: AnyFn }>(): ListenerHub<Events> {
  const emitter = new EventEmitter();
  type Wrapper = (...args: unknown[]) => void;
  const wrappers = new Map<string, WeakMap<AnyFn, Wrapper>>();
  let current: Collector | null = null;

  function wrap(name: string, fn: AnyFn): Wrapper {
    let byFn = wrappers.get(name);
    if (byFn === undefined) wrappers.set(name, (byFn = new WeakMap()));
    let w = byFn.get(fn);
    if (w !== undefined) return w;
    w = (...args: unknown[]) => {
      const c = current;
      if (c === null) return;
      try {
        const r = fn(...(args as never[]));
        if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
          c.pending.push(
            Promise.resolve(r).then(undefined, (error: unknown) => {
              c.failures.push({ source: name, error, subject: args[0] });
            }),
          );
        }
      } catch (error) {
        c.failures.push({ source: name, error, subject: args[0] });
      }
    };
    byFn.set(fn, w);
    return w;
  }

  return {
    on: (name, fn) => void emitter.on(name, wrap(name, fn)),
    once: (name, fn) => void emitter.once(name, wrap(name, fn)),
    off(name, fn) {
      if (fn === undefined) emitter.removeAllListeners(name);
      else {
        const w = wrappers.get(name)?.get(fn);
        if (w !== undefined) emitter.off(name, w);
      }
    },
    has: (name) => emitter.listenerCount(name) > 0,
    emit(collector, name, ...args) {
      const prev = current;
      current = collector;
      try {
        emitter.emit(name, ...args);
      } finally {
        current = prev;
      }
    },
    async settle(collector) {
      while (collector.pending.length > 0) {
        const batch = collector.pending;
        collector.pending = [];
        await Promise.all(batch);
      }
    },
  };
}
