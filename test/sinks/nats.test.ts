/**
 * natsSink against the real NATS server with JetStream on 127.0.0.1:4222: Nats-Msg-Id = event id
 * (JetStream drops re-sends inside its duplicate window), acks awaited, subjects by route,
 * retryable vs permanent refusals, reconnection through a cut connection, CloudEvents format.
 */
import { randomUUID } from 'node:crypto';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import type { SinkError } from '../../src/sinks/errors.js';
import { natsSink } from '../../src/sinks/nats.js';
import { NATS_SERVERS, natsAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';
import { tcpProxy } from './tcp-proxy.js';

const up = await natsAvailable();
const ctx = () => ({ signal: new AbortController().signal, attempt: 1 });
const fastRetry = { retries: 3, minTimeout: 5, maxTimeout: 20 };

describeIf(up, SKIP_REASONS.nats, 'natsSink on the real NATS JetStream at 127.0.0.1:4222', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const streams: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: NATS_SERVERS });
    jsm = await nc.jetstreamManager();
  });
  afterAll(async () => {
    for (const s of streams) await jsm.streams.delete(s).catch(() => {});
    await nc.drain();
  });

  /** A fresh stream capturing `<prefix>.>`, with JetStream's default 2-minute duplicate window. */
  async function stream(): Promise<{ name: string; prefix: string }> {
    const id = randomUUID().replace(/-/g, '');
    const name = `BLUETICK_TEST_${id}`;
    const prefix = `bt-${id}`;
    await jsm.streams.add({ name, subjects: [`${prefix}.>`] });
    streams.push(name);
    return { name, prefix };
  }

  const count = async (name: string) => (await jsm.streams.info(name)).state.messages;

  it('one message per event on <prefix>.<route>, Nats-Msg-Id = event id; a replayed batch is stored once', async () => {
    const { name, prefix } = await stream();
    const sink = natsSink({ connection: nc, subjectPrefix: prefix });
    const events: CanonicalEvent[] = makeEvents(30);
    (events[3] as { status: string }).status = 'read';
    const d = createDispatcher({ sinks: [sink], batchSize: 8 });
    d.enqueue(events);
    d.enqueue(events.slice(0, 15)); // the same events again: a provider retry, a dispatcher retry
    await d.close();
    expect(await count(name)).toBe(30);
    expect(d.stats().sinks[`nats:${prefix}.>`]).toMatchObject({ enqueued: 45, delivered: 45, failed: 0 });
    const stored = await jsm.streams.getMessage(name, { seq: 4 });
    expect(stored.subject).toBe(`${prefix}.status.read`);
    expect(stored.header.get('Nats-Msg-Id')).toBe(events[3]!.id);
    expect(stored.header.get('Content-Type')).toBe('application/json');
    expect(stored.json()).toEqual(events[3]);
    // The caller's connection stays open.
    expect(nc.isClosed()).toBe(false);
  });

  it('write resolves only once JetStream acknowledged every message', async () => {
    const { name, prefix } = await stream();
    await natsSink({ connection: nc, subjectPrefix: prefix }).write(makeEvents(50), ctx());
    expect(await count(name)).toBe(50); // no waiting: each publish's ack was awaited
  });

  it('with no stream capturing the subject the write fails retryably; once the stream exists it goes through', async () => {
    const id = randomUUID().replace(/-/g, '');
    const sink = natsSink({ connection: nc, subjectPrefix: `bt-nostream-${id}`, ackTimeoutMs: 500 });
    const error = (await sink.write(makeEvents(2), ctx()).catch((e: unknown) => e)) as SinkError;
    expect(error).toMatchObject({ code: 'nats_failed', retryable: true });
    const name = `BLUETICK_TEST_${id}`;
    await jsm.streams.add({ name, subjects: [`bt-nostream-${id}.>`] });
    streams.push(name);
    await sink.write(makeEvents(2), { ...ctx(), attempt: 2 });
    expect(await count(name)).toBe(2);
  });

  it('a permanent refusal (the expected stream does not match) is dead-lettered after one attempt', async () => {
    const { prefix } = await stream();
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [natsSink({ connection: nc, subjectPrefix: prefix, stream: 'SOME_OTHER_STREAM' })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(3));
    await d.close();
    expect(dlq.ids()).toEqual(['e:0', 'e:1', 'e:2']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', attempts: 1 });
  });

  it('its own connection (servers): reconnects after the connection is cut; JetStream keeps each event exactly once', async () => {
    const { name, prefix } = await stream();
    const proxy = await tcpProxy(4222);
    try {
      const sink = natsSink({
        servers: `127.0.0.1:${proxy.port}`,
        connectOptions: { reconnectTimeWait: 20, maxReconnectAttempts: -1 },
        subjectPrefix: prefix,
        ackTimeoutMs: 1000,
      });
      const d = createDispatcher({ sinks: [sink], batchSize: 50, retry: { retries: 20, minTimeout: 20, maxTimeout: 200 }, onError: () => {} });
      d.enqueue(makeEvents(20, 'a'));
      await d.flush();
      proxy.cut();
      d.enqueue(makeEvents(20, 'b'));
      await d.flush();
      d.enqueue(makeEvents(300, 'c'));
      setTimeout(() => proxy.cut(), 5);
      await d.close();
      expect(proxy.accepted()).toBeGreaterThanOrEqual(2);
      expect(d.stats().sinks[`nats:${prefix}.>`]).toMatchObject({ delivered: 340, deadLettered: 0 });
      // Re-sends after a lost ack carry the same Nats-Msg-Id: stored once.
      expect(await count(name)).toBe(340);
    } finally {
      await proxy.close();
    }
  });

  it('backpressure: while JetStream does not answer, writes stay pending and the dispatcher stops taking events', async () => {
    const { name: streamName, prefix } = await stream();
    const proxy = await tcpProxy(4222);
    try {
      const sink = natsSink({ servers: `127.0.0.1:${proxy.port}`, subjectPrefix: prefix, ackTimeoutMs: 20_000 });
      const d = createDispatcher({ sinks: [sink], batchSize: 10, maxQueue: 20, flushIntervalMs: 1 });
      d.enqueue(makeEvents(10, 'warm'));
      await d.flush();
      proxy.pause();
      let enqueued = 0;
      for (let i = 0; i < 200; i++) {
        enqueued++;
        if (!d.enqueue(makeEvents(1, `p${i}`))) break;
      }
      expect(enqueued).toBeLessThanOrEqual(31);
      await new Promise((r) => setTimeout(r, 200));
      expect(d.stats().sinks[`nats:${prefix}.>`]!.delivered).toBe(10); // no ack, no delivery
      proxy.resume();
      await d.waitForCapacity();
      await d.close();
      expect(d.stats().sinks[`nats:${prefix}.>`]).toMatchObject({ delivered: 10 + enqueued, deadLettered: 0, shed: 0 });
      expect(await count(streamName)).toBe(10 + enqueued);
    } finally {
      await proxy.close();
    }
  });

  it("format: 'cloudevents': the structured CloudEvent, Content-Type application/cloudevents+json (NATS binding)", async () => {
    const { name, prefix } = await stream();
    const event = makeEvents(1)[0]!;
    const sink = natsSink({ servers: NATS_SERVERS, subjectPrefix: prefix, format: 'cloudevents' });
    await sink.write([event], ctx());
    await sink.close?.();
    const stored = await jsm.streams.getMessage(name, { seq: 1 });
    expect(stored.header.get('Content-Type')).toBe('application/cloudevents+json; charset=utf-8');
    expect(stored.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored.json()).toMatchObject({ specversion: '1.0', id: event.id, source: 'bluetick://cloud/waba-1', type: 'com.bluetick.status.delivered', subject: event.messageId, data: event });
    await expect(sink.write([event], ctx())).rejects.toMatchObject({ code: 'sink_closed' });
  });

  it('rejects a subject prefix with wildcards or spaces at creation', () => {
    expect(() => natsSink({ connection: nc, subjectPrefix: 'a.>' })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => natsSink({ connection: nc, subjectPrefix: 'a b' })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });
});
