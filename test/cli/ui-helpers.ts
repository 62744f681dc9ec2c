import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** One parsed server-sent event. */
export interface SseMessage {
  event: string;
  id: string | undefined;
  data: unknown;
}

/** Polls `check` until it returns a value other than undefined/false. */
export async function until<T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A `text/event-stream` read with fetch and parsed as the WHATWG spec says (event, id, data; comments skipped). */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  let comments = 0;
  let ended = false;
  const decoder = new TextDecoder();
  let buffer = '';
  const parse = (block: string) => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments++;
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) messages.push({ event, id, data: JSON.parse(data.join('\n')) });
  };
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted
    } finally {
      ended = true;
    }
  })();
  return {
    res,
    messages,
    get comments() {
      return comments;
    },
    get ended() {
      return ended;
    },
    of: (event: string) => messages.filter((m) => m.event === event),
    close: () => controller.abort(),
  };
}

/** `bluetick listen …` run in-process (main() with an AbortSignal), its output captured live. */
export async function startListen(args: string[]) {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([]),
    signal: controller.signal,
  };
  const running = main(['listen', ...args], io);
  let exit: number | undefined;
  void running.then((code) => (exit = code));
  await until(() => /listening on/.test(stderr) || exit !== undefined, 'listen to start', 20_000);
  const receiverUrl = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
  const uiUrl = /UI on (http:\/\/\S+)/.exec(stderr)?.[1];
  if (exit !== undefined || receiverUrl === undefined) throw new Error(`listen did not start (exit ${exit}):\n${stderr}`);
  return {
    receiverUrl,
    uiUrl,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Stops it like Ctrl-C does; resolves with its exit code and whole output. */
    async stop() {
      controller.abort();
      const code = await running;
      return { code, stdout, stderr };
    },
  };
}
