import { request as httpRequest } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { StorageError } from '../../src/errors.js';
import type { NormalizeResult } from '../../src/event/types.js';

/** A small real tracker: records every batch it is given. */
export function recordingTracker() {
  const batches: NormalizeResult[] = [];
  return {
    batches,
    async ingest(input: NormalizeResult) {
      batches.push(input);
      return { events: input.events.length };
    },
  };
}

/** A tracker whose store is down: throws StorageError like the real one. */
export function unavailableTracker() {
  return {
    calls: 0,
    async ingest(_input: NormalizeResult): Promise<unknown> {
      this.calls++;
      throw new StorageError('store_unavailable', 'connect ECONNREFUSED 127.0.0.1:5432');
    },
  };
}

/** A logger that records what it was told. */
export function recordingLogger() {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, warn: (m: string) => void warnings.push(m), error: (m: string) => void errors.push(m) };
}

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw node:http client: resolves on the response even if the server closes the connection
 * while the body is still being written (what a 413 without reading does).
 */
export function send(
  base: string,
  init: { method: string; path: string; headers?: Record<string, string | string[]>; body?: string | Buffer },
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(init.path, base);
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const headers: Record<string, string | string[] | number> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = body.length;
    let settled = false;
    const req = httpRequest(url, { method: init.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => {
        if (!settled) {
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        }
      });
    });
    req.on('error', (error) => {
      if (!settled) reject(error);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Listens on 127.0.0.1 on a free port. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
