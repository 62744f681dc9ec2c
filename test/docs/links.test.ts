import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Every relative link of docs/*.md points at a file that exists and, when it names an anchor in
 * a markdown page, at a heading of that page (GitHub's slugs). docs/README.md lists every page.
 */
const docsDir = new URL('../../docs/', import.meta.url).pathname;
const pages = readdirSync(docsDir).filter((name) => name.endsWith('.md')).sort();

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

function links(text: string): string[] {
  const withoutCode = text.replace(/```[\s\S]*?```/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((l) => !/^[a-z]+:/i.test(l));
}

describe('docs links', () => {
  it('computes GitHub slugs', () => {
    expect(slug('Presentation (`present(state, { failedPolicy })`)')).toBe('presentation-presentstate--failedpolicy-');
    expect(slug('`track()` and WASender ids')).toBe('track-and-wasender-ids');
  });

  for (const page of pages) {
    it(`docs/${page}: relative links resolve`, () => {
      const broken: string[] = [];
      for (const link of links(readFileSync(join(docsDir, page), 'utf8'))) {
        const [file = '', anchor] = link.split('#');
        const target = file === '' ? join(docsDir, page) : resolve(dirname(join(docsDir, page)), file);
        if (!existsSync(target)) broken.push(link);
        else if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor)) broken.push(link);
      }
      expect(broken).toEqual([]);
    });
  }

  it('docs/README.md links every page', () => {
    const index = readFileSync(join(docsDir, 'README.md'), 'utf8');
    const missing = pages.filter((page) => page !== 'README.md' && !index.includes(`](${page})`));
    expect(missing).toEqual([]);
  });
});
