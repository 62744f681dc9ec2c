import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { ndjsonSink } from '../../src/sinks/ndjson.js';
import { makeEvents } from './helpers.js';

const ctx = () => ({ signal: new AbortController().signal, attempt: 1 });
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('ndjsonSink', () => {
  it('appends one JSON event per line to a file, through the dispatcher', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bluetick-ndjson-'));
    dirs.push(dir);
    const path = join(dir, 'events.ndjson');
    await writeFile(path, '{"existing":true}\n');
    const d = createDispatcher({ sinks: [ndjsonSink({ path })], batchSize: 7 });
    const events = makeEvents(20);
    events[3]!.bizOpaqueCallbackData = 'line\nbreak \u2028 and "quotes"';
    d.enqueue(events);
    await d.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('{"existing":true}');
    const parsed = lines.slice(1).map((l) => JSON.parse(l) as unknown);
    expect(parsed).toEqual(events);
    for (const e of parsed) expect(eventSchema.safeParse(e).success).toBe(true);
  });

  it('waits for drain on a slow stream (backpressure) and resolves only once the stream took the data', async () => {
    const chunks: string[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _enc, done) {
        setTimeout(() => {
          chunks.push(chunk.toString('utf8'));
          done();
        }, 5);
      },
    });
    slow.on('drain', () => drains++);
    const sink = ndjsonSink({ stream: slow });
    const events = makeEvents(10);
    for (let i = 0; i < 10; i += 2) {
      await sink.write(events.slice(i, i + 2), ctx());
      // Every batch is fully consumed before the next one is written: nothing piles up in memory.
      expect(slow.writableLength).toBe(0);
    }
    expect(drains).toBeGreaterThan(0);
    const lines = chunks.join('').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(events.map((e) => e.id));
    await sink.close?.();
    expect(slow.writableEnded).toBe(false); // a stream the caller owns stays open
  });

  it('rejects with a SinkError when the stream fails or is closed', async () => {
    const failing = new Writable({
      write(_chunk, _enc, done) {
        done(new Error('disk full'));
      },
    });
    failing.on('error', () => {});
    const sink = ndjsonSink({ stream: failing });
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'stream_write_failed', retryable: true });
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'stream_closed', retryable: false });
  });

  it('ends a stream it was given when end: true', async () => {
    const stream = new Writable({ write: (_c, _e, done) => done() });
    const sink = ndjsonSink({ stream, end: true });
    await sink.write(makeEvents(1), ctx());
    await sink.close?.();
    expect(stream.writableEnded).toBe(true);
  });
});
