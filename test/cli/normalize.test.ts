import { describe, expect, it } from 'vitest';
import { eventSchema, normalize } from '../../src/index.js';
import { ownFixture, ownFixturesDir } from '../helpers/fixtures.js';
import { runCli } from './helpers.js';

const files = ['cloud/batch.json', 'cloud/statuses.json', 'onprem/statuses-mixed.json', 'wasender/update-batch.json'];

describe('bluetick normalize', () => {
  for (const name of files) {
    it(`prints ${name} as NDJSON events that pass eventSchema`, async () => {
      const r = await runCli(['normalize', `${ownFixturesDir}/${name}`]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      const expected = normalize(ownFixture(name)).events;
      expect(lines).toHaveLength(expected.length);
      const events = lines.map((l) => eventSchema.parse(JSON.parse(l)));
      expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    });
  }

  it('reads stdin, forces a provider, keeps raw items with --raw', async () => {
    const body = ownFixture('cloud/statuses.json');
    const plain = await runCli(['normalize', '-'], body);
    expect(JSON.parse(plain.stdout.split('\n')[0] as string).raw).toBeUndefined();
    const raw = await runCli(['normalize', '--raw', '--provider', 'cloud'], body);
    expect(JSON.parse(raw.stdout.split('\n')[0] as string).raw).toBeTypeOf('object');
  });

  it('--summary counts events by kind', async () => {
    const r = await runCli(['normalize', '--summary', `${ownFixturesDir}/cloud/statuses.json`]);
    const summary = JSON.parse(r.stdout) as { provider: string; events: number; byKind: Record<string, number> };
    expect(summary.provider).toBe('cloud');
    expect(summary.events).toBe(normalize(ownFixture('cloud/statuses.json')).events.length);
    expect(Object.values(summary.byKind).reduce((a, b) => a + b, 0)).toBe(summary.events);
  });

  it('an unusable envelope exits 1 with the NormalizeError code; a bad --provider exits 2', async () => {
    const bad = await runCli(['normalize', '-'], 'not json');
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toMatch(/invalid_json/);
    const unknown = await runCli(['normalize', '-'], '{"hello":1}');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown_provider/);
    expect((await runCli(['normalize', '--provider', 'telegram', '-'], '{}')).code).toBe(2);
  });
});
