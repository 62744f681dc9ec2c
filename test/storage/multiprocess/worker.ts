/**
 * One worker process of the multi-process scenario:
 *
 *   node --import tsx worker.ts <storeModule> <datasetSeed> <count> <workerSeed> <outFile>
 *
 * (runner.ts runs it as plain node on a bundle of it and its store module, test/helpers/bundle.ts.)
 *
 * `storeModule` exports `createStore(): Promise<StateStore>`. The worker generates the shared
 * events, builds its own seeded shuffle with duplicates, prints `ready`, waits for `go` on stdin
 * (so every worker starts together), ingests through `createTracker({ store })` in random-size
 * batches, and writes the transitions it emitted to `outFile` as JSON.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { StateStore } from '../../../src/storage/state-store.js';
import { seeded, shuffle } from '../../../src/testing/index.js';
import { createTracker } from '../../../src/tracking/tracker.js';
import { generateEvents } from './dataset.js';
import { canonicalJson, type WorkerOutput } from './protocol.js';

const [storeModule, datasetSeed, count, workerSeed, outFile] = process.argv.slice(2);
if (outFile === undefined) throw new Error('usage: worker.ts <storeModule> <datasetSeed> <count> <workerSeed> <outFile>');

const mod = (await import(pathToFileURL(storeModule as string).href)) as { createStore: () => Promise<StateStore> };
const store = await mod.createStore();
const events = generateEvents(Number(datasetSeed), Number(count));
const random = seeded(Number(workerSeed));
const stream = shuffle([...events, ...events.filter(() => random() < 0.1)], random);

process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const tracker = createTracker({ store, closeStore: false });
const output: WorkerOutput = { transitions: [], ingested: 0, duplicates: 0, ms: 0 };
tracker.on('transition', (t) => {
  output.transitions.push({ key: t.key, before: t.before === null ? null : canonicalJson(t.before), after: canonicalJson(t.after) });
});
const start = performance.now();
for (let i = 0; i < stream.length; ) {
  const size = 1 + Math.floor(random() * 64);
  const report = await tracker.ingest(stream.slice(i, i + size));
  output.ingested += report.received;
  output.duplicates += report.duplicates;
  i += size;
}
output.ms = performance.now() - start;
await tracker.close();
await store.close();
writeFileSync(outFile, JSON.stringify(output));
process.stdin.unref();
