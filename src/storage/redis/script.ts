/**
 * Running the store's Lua scripts: `EVALSHA` always (a script's body crosses the network once per
 * server, not once per call), falling back to `EVAL` when the server answers NOSCRIPT (a restart,
 * `SCRIPT FLUSH`, a failover to a replica that never saw it). EVAL runs the script and caches it,
 * so the next EVALSHA finds it again. The store never calls ioredis `defineCommand`: a client you
 * pass is not modified.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isNoScript } from './errors.js';

/** A script body and its SHA-1. */
export interface LuaScript {
  readonly name: string;
  readonly body: string;
  readonly sha: string;
}

/** Names a script body and computes its SHA-1 once. */
export function luaScript(name: string, body: string): LuaScript {
  return { name, body, sha: createHash('sha1').update(body).digest('hex') };
}

/** Runs a script with its KEYS and ARGV: one round trip (two after a NOSCRIPT). */
export async function runScript(client: Redis, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return client.eval(script.body, keys.length, ...keys, ...args);
  }
}
