import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The TypeScript samples of these pages must each appear, verbatim (whitespace aside), in a file
 * under examples/: tsc type-checks those files with the repository, so a sample that stops
 * compiling (a renamed option, a removed export) fails `npm run typecheck`, and a sample edited in
 * the page but not in its file fails here.
 */
const root = new URL('../../', import.meta.url).pathname;
const CHECKED_PAGES = [
  '../README.md',
  'getting-started.md',
  'recipes.md',
  'operating-at-scale.md',
  'migrating.md',
  'receiving-webhooks.md',
  'sinks.md',
  'metrics.md',
  'tracing.md',
  'privacy.md',
  'redis.md',
  'canonical-event.md',
  'standards.md',
  'missed-updates.md',
  'analytics.md',
  'postgres.md',
  'storage-adapters.md',
];
/**
 * Pages whose samples are not in examples/snippets/ yet, and why. Printed on every run; a page
 * with `ts` blocks must be in one list or the other.
 */
const PENDING: Record<string, string> = {};

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const sources = sourceFiles(join(root, 'examples')).map((path) => ({ path, text: squash(readFileSync(path, 'utf8')) }));

describe('docs samples are type-checked code', () => {
  it('every page with TypeScript samples is checked, or pending with a reason', () => {
    const withSamples = readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md') && /```ts\n/.test(readFileSync(join(root, 'docs', name), 'utf8')))
      .sort();
    const unaccounted = withSamples.filter((page) => !CHECKED_PAGES.includes(page) && !(page in PENDING));
    expect(unaccounted).toEqual([]);
    for (const [page, why] of Object.entries(PENDING)) console.log(`[docs samples] not yet checked: docs/${page}: ${why}`);
  });

  for (const page of CHECKED_PAGES) {
    it(`every ts block of docs/${page} is in a file under examples/`, () => {
      const text = readFileSync(join(root, 'docs', page), 'utf8');
      const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
      expect(blocks.length).toBeGreaterThan(0);
      const orphans = blocks.filter((block) => !sources.some((s) => s.text.includes(squash(block))));
      expect(orphans).toEqual([]);
    });
  }
});
