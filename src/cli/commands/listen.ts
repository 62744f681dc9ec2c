import type { CanonicalEvent } from '../../event/types.js';
import type { WebhookHandlerOptions } from '../../http/types.js';
import { createTracker } from '../../tracking/tracker.js';
import type { Transition } from '../../tracking/tracker-types.js';
import { flag, numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, printHelp, println, usageError, type CliIo } from '../io.js';
import { startReceiver } from '../receiver.js';
import { createReportCollector } from '../report/collector.js';
import { formatReport } from '../report/format.js';
import { openStore, parseStoreSpec } from '../store-option.js';
import { createUiFeed } from '../ui/feed.js';
import { startUiServer, type UiServer } from '../ui/server.js';

const help = `Usage: bluetick listen [--port 3000] [--host 127.0.0.1] [credentials] [--store S] [--json] [--ui]

A local webhook receiver: verifies and normalizes each request, prints every canonical event and
every delivery-state transition as it arrives, and the delivery report when stopped (Ctrl-C,
SIGTERM).

  --port N               port (default 3000; 0 picks a free one)
  --host H               interface (default 127.0.0.1)
  --path P               webhook route (default /webhooks/whatsapp)
  --secret S             Meta app secret (Cloud API)
  --verify-token T       answer Meta's GET subscription handshake with this token
  --wasender-secret S    WASender webhook secret
  --onprem-token T       On-Premises shared token (?token=T)
  --insecure             accept unsigned requests (local experiments only)
  --store S              memory (default), pglite:<dir>, postgres://… or redis://…
  --json                 print NDJSON lines: {"type": "event" | "duplicate" | "transition" |
                         "change" | "report", …}
  --ui                   also serve a live page on the same host: the events, the funnel, and a
                         message's timeline when clicked (its URL is printed)
  --ui-port N            the page's port (default: --port + 1; 0 picks a free one); implies --ui
`;

function eventLine(e: CanonicalEvent): string {
  const head = `event       ${e.kind.padEnd(12)} ${e.provider.padEnd(8)}`;
  if (e.kind === 'status') return `${head} ${e.messageId} → ${e.participantId ?? e.recipientId ?? '?'}  ${e.status}${e.errors.length > 0 ? `  errors ${e.errors.map((x) => x.code).join(',')}` : ''}`;
  if (e.kind === 'message') {
    const what = e.interaction ? `${e.interaction.kind} "${e.interaction.title ?? e.interaction.id ?? ''}"` : e.text !== null ? JSON.stringify(e.text.slice(0, 60)) : e.type;
    return `${head} ${e.messageId} from ${e.from ?? '?'}  ${e.type}  ${what}`;
  }
  if (e.kind === 'error') return `${head} ${e.errors.map((x) => `${x.code} ${x.title ?? ''}`).join('; ')}`;
  return `${head} ${e.topic}`;
}

function transitionLine(t: Transition): string {
  return `transition  ${t.after.messageId} → ${t.after.participantId ?? t.after.recipientId ?? '?'}  ${t.before?.status ?? '(new)'} → ${t.after.status}`;
}

function changeLine(t: Transition): string {
  const flags = (['sentImplied', 'deliveredImplied', 'readImplied', 'failedAfterDelivery'] as const).filter((f) => t.after[f]);
  return `change      ${t.after.messageId} → ${t.after.participantId ?? t.after.recipientId ?? '?'}  still ${t.after.status}${flags.length > 0 ? `  (${flags.join(', ')})` : ''}`;
}

function handlerOptions(parsed: Parameters<typeof stringOpt>[0]): WebhookHandlerOptions {
  const options: WebhookHandlerOptions = {};
  const secret = stringOpt(parsed, 'secret');
  const verifyToken = stringOpt(parsed, 'verify-token');
  if (secret !== undefined || verifyToken !== undefined) {
    if (secret === undefined) throw usageError('listen: --verify-token needs --secret (the Meta app secret)');
    options.cloud = { appSecret: secret, ...(verifyToken !== undefined ? { verifyToken } : {}) };
  }
  const wasender = stringOpt(parsed, 'wasender-secret');
  if (wasender !== undefined) options.wasender = { secret: wasender };
  const onprem = stringOpt(parsed, 'onprem-token');
  if (onprem !== undefined) options.onprem = { token: onprem };
  if (flag(parsed, 'insecure')) options.dangerouslyDisableVerification = true;
  else if (!options.cloud && !options.wasender && !options.onprem) {
    throw usageError('listen: give --secret, --wasender-secret or --onprem-token (or --insecure for local experiments)');
  }
  return options;
}

function stopped(io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    if (io.signal === undefined) return; // never: the caller must give a signal to stop
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `bluetick listen`: a local receiver printing events, transitions and the report. */
export const listenCommand: Command = {
  name: 'listen',
  summary: 'run a local receiver that prints events, transitions and the report',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('listen', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      path: { type: 'string' },
      secret: { type: 'string' },
      'verify-token': { type: 'string' },
      'wasender-secret': { type: 'string' },
      'onprem-token': { type: 'string' },
      insecure: { type: 'boolean' },
      store: { type: 'string' },
      json: { type: 'boolean' },
      ui: { type: 'boolean' },
      'ui-port': { type: 'string' },
    });
    if (parsed.help) return printHelp(io, help);
    const port = numberOpt('listen', parsed, 'port', 3000, 0, 65_535);
    const withUi = flag(parsed, 'ui') || stringOpt(parsed, 'ui-port') !== undefined;
    const uiPort = numberOpt('listen', parsed, 'ui-port', port === 0 ? 0 : port + 1, 0, 65_535);
    if (withUi && uiPort > 65_535) throw usageError('listen: --port 65535 leaves no next port for the UI: give --ui-port');
    const options = handlerOptions(parsed);
    const spec = parseStoreSpec('listen', stringOpt(parsed, 'store'));
    const json = flag(parsed, 'json');
    const opened = await openStore('listen', spec);
    const tracker = createTracker(opened.store ? { store: opened.store } : {});
    const collector = createReportCollector(tracker);
    // Following the tracker before the receiver answers: the page misses no event.
    const feed = withUi ? createUiFeed(tracker) : null;
    const out = (line: string) => println(io.stdout, line);
    tracker.on('transition', (t) => out(json ? JSON.stringify({ type: 'transition', key: t.key, before: t.before, after: t.after }) : transitionLine(t)));
    tracker.on('change', (t) => out(json ? JSON.stringify({ type: 'change', key: t.key, before: t.before, after: t.after }) : changeLine(t)));
    const host = stringOpt(parsed, 'host') ?? '127.0.0.1';
    const receiver = await startReceiver({
      host,
      port,
      path: stringOpt(parsed, 'path') ?? '/webhooks/whatsapp',
      handler: {
        ...options,
        tracker,
        logger: { warn: (m) => println(io.stderr, m), error: (m, e) => println(io.stderr, `${m}${e instanceof Error ? `: ${e.message}` : ''}`) },
      },
      onResponse: (status) => collector.recordHttp(status),
    }).catch(async (error: Error) => {
      await tracker.close();
      // Not a usage mistake: the port is taken or not ours to bind (exit 1).
      throw new CliError('listen_failed', `listen: cannot listen on port ${port}: ${error.message}`);
    });
    let ui: UiServer | null = null;
    if (feed !== null) {
      ui = await startUiServer({ tracker, feed, report: () => collector.report(), host, port: uiPort, receiverUrl: receiver.url, store: opened.label }).catch(async (error: Error) => {
        await receiver.close();
        await tracker.close();
        throw new CliError('listen_failed', `listen: cannot serve the UI on port ${uiPort}: ${error.message} (choose another with --ui-port)`);
      });
      println(io.stderr, `bluetick UI on ${ui.url} (live events, the funnel, a message's timeline)`);
    }
    // Events are printed from the tracker's view: new events in full, duplicates as one line.
    const print = (e: CanonicalEvent) => out(json ? JSON.stringify({ type: 'event', event: e }) : eventLine(e));
    tracker.on('message', print).on('status', print).on('providerError', print).on('notification', print);
    tracker.on('duplicate', (e) => out(json ? JSON.stringify({ type: 'duplicate', id: e.id }) : `duplicate   ${e.id}`));
    println(io.stderr, `bluetick listening on ${receiver.url} (store: ${opened.label}). Stop with Ctrl-C for the report.`);
    await stopped(io);
    await receiver.close();
    await ui?.close();
    try {
      const report = await collector.report();
      if (json) out(JSON.stringify({ type: 'report', report }));
      else io.stdout.write(formatReport(report, `Delivery report (this session; states in ${opened.label})`));
    } finally {
      await tracker.close();
    }
    return EXIT.ok;
  },
};
