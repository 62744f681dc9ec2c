/**
 * Running the merge script: `EVALSHA` always (the script body is sent once per server, not per
 * merge), falling back to `EVAL` / `SCRIPT LOAD` when the server answers NOSCRIPT (restart,
 * `SCRIPT FLUSH`, failover to a replica that never saw it). Batches go out as one pipeline of
 * EVALSHA calls: one round trip for the whole batch.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isNoScript } from './errors.js';
import type { RedisClient } from './connection.js';
import { MERGE_LUA } from './merge-script.js';

/** One script call: its KEYS and ARGV. */
export interface ScriptCall {
  keys: string[];
  args: string[];
}

/** The raw reply of the merge script: before JSON, changed flag, after JSON. */
export type MergeReply = [string, string, string];

/** SHA-1 of the merge script, as EVALSHA names it. */
export const MERGE_SHA = createHash('sha1').update(MERGE_LUA).digest('hex');

/**
 * Runs one merge script call.
 *
 * @example
 * ```ts
 * const [before, changed, after] = await runMerge(client, { keys, args });
 * ```
 */
export async function runMerge(client: RedisClient, call: ScriptCall): Promise<MergeReply> {
  try {
    return (await client.evalsha(MERGE_SHA, call.keys.length, ...call.keys, ...call.args)) as MergeReply;
  } catch (err) {
    if (!isNoScript(err)) throw err;
    // EVAL runs the script and caches it on that server, so later EVALSHAs find it again.
    return (await client.eval(MERGE_LUA, call.keys.length, ...call.keys, ...call.args)) as MergeReply;
  }
}

async function pipelined(client: Redis, calls: readonly ScriptCall[]): Promise<Array<[Error | null, unknown]>> {
  const pipe = client.pipeline();
  for (const call of calls) pipe.evalsha(MERGE_SHA, call.keys.length, ...call.keys, ...call.args);
  const replies = await pipe.exec();
  if (replies === null) throw new Error('Redis pipeline was discarded.');
  return replies;
}

/**
 * Runs many merge calls in one pipeline, answers in call order. On a standalone server a NOSCRIPT
 * fails every call of the batch alike (the cache was empty when the pipeline ran), so the script
 * is loaded and the failed calls are sent again, still in order. Any other error rejects the
 * batch (calls before it may have been applied: each merge is atomic on its own, and merging
 * again is harmless).
 */
export async function runMergeBatch(client: RedisClient, calls: readonly ScriptCall[]): Promise<MergeReply[]> {
  if (client.isCluster) {
    // A Cluster pipeline must stay on one node; separate calls are routed (and auto-pipelined
    // per node when the client has enableAutoPipelining).
    return Promise.all(calls.map((call) => runMerge(client, call)));
  }
  const standalone = client as Redis;
  const out = new Array<MergeReply>(calls.length);
  let replies = await pipelined(standalone, calls);
  const retry: number[] = [];
  replies.forEach(([err, value], i) => {
    if (err === null) out[i] = value as MergeReply;
    else if (isNoScript(err)) retry.push(i);
    else throw err;
  });
  if (retry.length > 0) {
    await standalone.script('LOAD', MERGE_LUA);
    replies = await pipelined(standalone, retry.map((i) => calls[i] as ScriptCall));
    replies.forEach(([err, value], k) => {
      if (err !== null) throw err;
      out[retry[k] as number] = value as MergeReply;
    });
  }
  return out;
}
