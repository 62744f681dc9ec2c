/**
 * How a code sample says how it is run by test/docs/run-samples.test.ts: tags in the first
 * comment of its file under examples/snippets/ (docs/maintainers.md, "Code samples").
 *
 *   @sample run                    evaluate it; every HTTP server it starts is exercised
 *   @sample compile-only <reason>  type-checked by `npm run typecheck`, never run; say why
 *   @sample-serve <export>         a Node (req, res) listener it exports: served and exercised
 *   @sample-fetch <export>         a Fetch handler it exports (a function, or an object with fetch)
 *   @sample-lambda <export>        a Lambda handler it exports: invoked with v1, v2 and function URL events
 *   @sample-handler <export>       a createWebhookHandler() function it exports: called with requests
 *   @sample-mount <export>         a function taking an Express app: called with one, which is served
 *   @sample-call <export>          a function called with no arguments (it may start servers)
 *   @sample-webhook <path>         the webhook path of its entry points (default /webhooks/whatsapp)
 *   @sample-needs postgres         run with DATABASE_URL naming a throwaway database
 *   @sample-needs redis            run with REDIS_URL naming the test Redis (a sample must not write fixed keys)
 *
 * Names the sample declares (`declare const db: …`) for "what your own code has" are given
 * stand-ins at run time (./stand-ins.ts).
 */
import { readFileSync } from 'node:fs';

export type EntryKind = 'serve' | 'fetch' | 'lambda' | 'handler' | 'mount' | 'call';

export interface SampleSpec {
  mode: 'run' | 'compile-only';
  /** Why a compile-only sample is not run. */
  reason?: string;
  entries: { kind: EntryKind; name: string }[];
  webhookPath: string;
  needs: Array<'postgres' | 'redis'>;
  /** Names the sample declares with `declare const|let|function`. */
  declared: string[];
}

const ENTRY_TAGS: Record<string, EntryKind> = { 'sample-serve': 'serve', 'sample-fetch': 'fetch', 'sample-lambda': 'lambda', 'sample-handler': 'handler', 'sample-mount': 'mount', 'sample-call': 'call' };

/** Reads the tags of a sample file; throws on a missing or malformed `@sample` tag. */
export function readSampleSpec(path: string): SampleSpec {
  const text = readFileSync(path, 'utf8');
  const header = /^\s*\/\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
  const spec: SampleSpec = { mode: 'run', entries: [], webhookPath: '/webhooks/whatsapp', needs: [], declared: [] };
  let mode: string | undefined;
  for (const [, tag = '', rest = ''] of header.matchAll(/@([a-z-]+)[ \t]*([^\n]*)/g)) {
    const value = rest.replace(/\s*\*\/\s*$/, '').trim();
    if (tag === 'sample') {
      const [word = '', ...reason] = value.split(/\s+/);
      mode = word;
      if (word === 'compile-only') spec.reason = reason.join(' ').replace(/^[—:-]\s*/, '');
    } else if (tag in ENTRY_TAGS) {
      for (const name of value.split(/[\s,]+/).filter(Boolean)) spec.entries.push({ kind: ENTRY_TAGS[tag] as EntryKind, name });
    } else if (tag === 'sample-webhook') spec.webhookPath = value;
    else if (tag === 'sample-needs') {
      if (value !== 'postgres' && value !== 'redis') throw new Error(`${path}: @sample-needs ${value}: only postgres and redis are provided`);
      spec.needs.push(value);
    } else if (tag.startsWith('sample')) throw new Error(`${path}: unknown tag @${tag}`);
  }
  if (mode !== 'run' && mode !== 'compile-only') throw new Error(`${path}: the first comment needs "@sample run" or "@sample compile-only <reason>"`);
  spec.mode = mode;
  if (mode === 'compile-only' && !spec.reason) throw new Error(`${path}: @sample compile-only needs a reason`);
  spec.declared = [...text.matchAll(/^declare (?:const|let|var|function) (\w+)/gm)].map((m) => m[1] as string);
  return spec;
}
