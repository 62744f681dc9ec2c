import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/*
 * The TypeScript samples of docs/missed-updates.md must each appear, verbatim (whitespace aside),
 * in examples/reconcile-*.ts, which tsc type-checks with the repository.
 */
const root = new URL('../../', import.meta.url).pathname;
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('docs/missed-updates.md', () => {
  it('every ts block is code of examples/reconcile-*.ts', () => {
    const sources = readdirSync(`${root}examples`)
      .filter((f) => f.startsWith('reconcile-') && f.endsWith('.ts'))
      .map((f) => squash(readFileSync(`${root}examples/${f}`, 'utf8')));
    const page = readFileSync(`${root}docs/missed-updates.md`, 'utf8');
    const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => !sources.some((s) => s.includes(squash(b))))).toEqual([]);
  });
});
