import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { importOptionalPeer, isMissingPeer, missingPeerError } from '../../src/internal/optional-peer.js';
import { prometheusMetrics } from '../../src/metrics/prometheus.js';

// A package that is certainly not installed: the import fails exactly as a missing peer would.
const ABSENT = 'bluetick-absent-peer-for-tests';

describe('importOptionalPeer', () => {
  it('names the subpath, the missing package and the install command', async () => {
    const error = await importOptionalPeer('bluetick/postgres', ABSENT, () => import(ABSENT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('missing_dependency');
    expect((error as Error).message).toBe(`bluetick/postgres needs the optional peer dependency \`${ABSENT}\`: npm install ${ABSENT}`);
    // The loader's own error stays reachable for debugging.
    expect(((error as Error).cause as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
  });

  it('returns the module when the peer is installed', async () => {
    const mod = await importOptionalPeer('bluetick/redis', 'ioredis', () => import('ioredis'));
    expect(typeof mod.Redis).toBe('function');
  });

  it('rethrows failures that are not "this peer is missing" unchanged', async () => {
    const own = new Error('pg exploded while loading');
    await expect(importOptionalPeer('bluetick/postgres', 'pg', () => Promise.reject(own))).rejects.toBe(own);
    // A dependency OF the peer missing: the peer is installed but broken, say so as Node does.
    const inner = Object.assign(new Error("Cannot find package 'pg-pool' imported from /app/node_modules/pg/lib/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importOptionalPeer('bluetick/postgres', 'pg', () => Promise.reject(inner))).rejects.toBe(inner);
  });
});

describe('isMissingPeer', () => {
  it('recognizes the ESM and the CommonJS wording, and deep imports of the peer', () => {
    expect(isMissingPeer(Object.assign(new Error("Cannot find package 'pg' imported from /x/dist/postgres.js"), { code: 'ERR_MODULE_NOT_FOUND' }), 'pg')).toBe(true);
    expect(isMissingPeer(Object.assign(new Error("Cannot find module 'ioredis'\nRequire stack:"), { code: 'MODULE_NOT_FOUND' }), 'ioredis')).toBe(true);
    expect(isMissingPeer(new Error("Cannot find module '@aws-sdk/client-firehose/dist-cjs/index.js'"), '@aws-sdk/client-firehose')).toBe(true);
    expect(isMissingPeer(new Error("Cannot find package 'bullmq-extra'"), 'bullmq')).toBe(false);
    expect(isMissingPeer(new Error('connect ECONNREFUSED'), 'pg')).toBe(false);
    expect(isMissingPeer(null, 'pg')).toBe(false);
  });

  it('missingPeerError without a cause leaves cause unset', () => {
    expect(missingPeerError('bluetick/metrics', 'prom-client').cause).toBeUndefined();
  });
});

describe('prometheusMetrics without a client', () => {
  it('throws a ConfigError naming prom-client, also when called with no argument at all (plain JS)', () => {
    for (const options of [undefined, {}]) {
      let caught: unknown;
      try {
        prometheusMetrics(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toContain('bluetick/metrics needs the optional peer dependency `prom-client`: npm install prom-client');
    }
  });
});
