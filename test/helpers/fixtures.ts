import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeIf, itIf } from './services.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The shared, real webhook bodies (`../shared/fixtures` beside the repository). Never copied in. */
export const sharedFixturesDir = resolve(here, '../../../shared/fixtures');
export const hasSharedFixtures = existsSync(join(sharedFixturesDir, 'cloud'));

/** Our own fixtures, written from the providers' documented shapes. */
export const ownFixturesDir = resolve(here, '../fixtures');

/** Why the tests over the shared fixtures are skipped: a clone without ../shared (CI always has it). */
export const NO_SHARED_FIXTURES = `${sharedFixturesDir} is absent (the real webhook fixtures live beside the repository)`;

/** `describe` over the shared fixtures; a visibly skipped group, with the reason, without them. */
export function describeWithSharedFixtures(name: string, fn: () => void): void {
  describeIf(hasSharedFixtures, NO_SHARED_FIXTURES, name, fn);
}

/** `it` over the shared fixtures; a visibly skipped test, with the reason, without them. */
export function itWithSharedFixtures(name: string, fn: () => unknown, timeout?: number): void {
  itIf(hasSharedFixtures, NO_SHARED_FIXTURES, name, fn, timeout);
}

export interface SharedFixture {
  provider: 'cloud' | 'onprem' | 'wasender';
  name: string;
  path: string;
  text: string;
}

/** Every shared fixture, read at run time (empty when the folder is absent). */
export function sharedFixtures(): SharedFixture[] {
  if (!hasSharedFixtures) return [];
  const out: SharedFixture[] = [];
  for (const provider of ['cloud', 'onprem', 'wasender'] as const) {
    const dir = join(sharedFixturesDir, provider);
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.json')) continue;
      const path = join(dir, name);
      out.push({ provider, name, path, text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

/** One shared fixture's text, e.g. `sharedFixture('cloud', 'pywa-message-text.json')`. */
export function sharedFixture(provider: SharedFixture['provider'], name: string): string {
  return readFileSync(join(sharedFixturesDir, provider, name), 'utf8');
}

/** Fixture names PROVENANCE.md marks "invalid by design". */
export function invalidByDesign(): Set<string> {
  if (!hasSharedFixtures) return new Set();
  const text = readFileSync(join(sharedFixturesDir, 'PROVENANCE.md'), 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\| `([^`]+\.json)` \|/.exec(line);
    if (m?.[1] && /invalid by design/i.test(line)) names.add(m[1]);
  }
  return names;
}

/** One of our own fixtures under `test/fixtures/`. */
export function ownFixture(relativePath: string): string {
  return readFileSync(join(ownFixturesDir, relativePath), 'utf8');
}
