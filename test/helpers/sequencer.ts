import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest test files first, by what this machine last measured (vitest's own cache) and
 * test/durations.json (written by `npm run test:durations`), which a fresh clone such as CI's has.
 * Without either, vitest starts the largest files first, and a long file that starts late keeps
 * the whole run waiting on it: `npm test` on a fresh clone, 2 cores, took 200 s in that order and
 * 171 s longest first (2026-12-02). Files in neither list come first, as vitest runs unknown files first.
 */
const recorded = JSON.parse(readFileSync(new URL('../durations.json', import.meta.url), 'utf8')) as Record<string, number>;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const duration = (file: TestSpecification): number => {
      const key = file.moduleId.startsWith(`${root}/`) ? file.moduleId.slice(root.length + 1) : file.moduleId;
      const cached = cache.getFileTestResults(`${file.project.name}:${key}`)?.duration;
      const known = recorded[key];
      if (cached === undefined && known === undefined) return Number.POSITIVE_INFINITY;
      // The longer of the two: after `npm run test:unit` the cache holds the skipped files' few ms.
      return Math.max(cached ?? 0, known ?? 0);
    };
    const durations = new Map(files.map((f) => [f, duration(f)]));
    // Compared, not subtracted: two unknown files (Infinity - Infinity) would give NaN.
    return [...files].sort((a, b) => {
      const da = durations.get(a) as number;
      const db = durations.get(b) as number;
      return da === db ? 0 : da < db ? 1 : -1;
    });
  }
}
