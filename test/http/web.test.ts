import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFetchHandler } from '../../src/http/web.js';
import { APP_SECRET, cloudHeaders, describeAdapterContract, PATH } from './adapter-contract.js';
import { recordingTracker } from './helpers.js';

function headersRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = value));
  return out;
}

// Real Fetch `Request` objects, handed to the handler the way Next.js, Hono, Workers, Bun and Deno do.
describeAdapterContract('web (Request → Response)', async (options) => {
  const handler = createFetchHandler(options);
  return {
    transport: async (init) => {
      const request = new Request(new URL(init.path, 'https://example.com'), {
        method: init.method,
        headers: init.headers,
        body: init.body === undefined ? undefined : new Uint8Array(Buffer.from(init.body)),
      });
      const response = await handler(request);
      return { status: response.status, headers: headersRecord(response.headers), body: await response.text() };
    },
    close: async () => undefined,
  };
});

describe('web adapter', () => {
  it('stops reading a streamed body past the limit and cancels the stream', async () => {
    const handler = createFetchHandler({ cloud: { appSecret: APP_SECRET }, tracker: recordingTracker(), maxBodyBytes: 1024 });
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request('https://example.com/wh', { method: 'POST', body: stream, headers: cloudHeaders('x'), duplex: 'half' } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10); // an infinite stream: only a reader that stops can return
  });

  it('never imports node:* anywhere in its module graph (bundles for Workers)', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
        const spec = m[1] as string;
        if (spec.startsWith('node:') || ['crypto', 'buffer', 'http'].includes(spec)) nodeImports.push(`${file}: ${spec}`);
        else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(resolve(__dirname, '../../src/http/web.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect(nodeImports).toEqual([]);
  });

  it('GET through a Request with the PHP-style keys', async () => {
    const handler = createFetchHandler({ cloud: { appSecret: APP_SECRET, verifyToken: 'tok' }, tracker: recordingTracker() });
    const response = await handler(new Request(`https://example.com${PATH}?hub_mode=subscribe&hub_verify_token=tok&hub_challenge=xyz`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('xyz');
  });
});
