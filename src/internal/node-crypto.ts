/**
 * `node:crypto`, resolved at first use instead of imported: the root entry (`bluetick`) then
 * loads on runtimes without it (Workers without nodejs_compat, browsers), so `normalize` works
 * there, and only the functions that hash (the synchronous verifiers, signing, redaction) need
 * Node. `process.getBuiltinModule` is synchronous and exists on Node ≥ 20.16 (engines), recent Bun
 * and Deno (≥ 2.1); it works alike from the ESM and the CommonJS builds, with no `require` for a
 * bundler to hoist into a static import.
 */
import { ConfigError } from '../errors.js';

export type NodeCrypto = typeof import('node:crypto');

let cached: NodeCrypto | undefined;

/**
 * The `node:crypto` module, or a `ConfigError` (`node_crypto_unavailable`) naming the WebCrypto
 * alternative when this runtime has none.
 */
export function nodeCrypto(): NodeCrypto {
  if (cached !== undefined) return cached;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (mod === undefined) {
    throw new ConfigError(
      'node_crypto_unavailable',
      'This function needs node:crypto (Node ≥ 20.16, or Bun and Deno through process.getBuiltinModule), which this runtime does not provide. On Workers and other WebCrypto runtimes use bluetick/web (verifyMetaSignatureWeb, createFetchHandler).',
    );
  }
  cached = mod;
  return mod;
}
