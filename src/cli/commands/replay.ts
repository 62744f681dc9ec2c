import { flag, numberOpt, parseCommandArgs, requiredOpt, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, printHelp, println, usageError, type CliIo } from '../io.js';
import { formatHttp } from '../report/format.js';
import { count, duration } from '../report/table.js';
import { loadPayloadFiles } from '../replay/files.js';
import { addDuplicates, seededRandom, shuffleInPlace } from '../replay/random.js';
import { assertCredentials, type ReplayCredentials } from '../replay/request.js';
import { isSuccess, replayPayloads, type ReplayResult, type ReplaySummary } from '../replay/send.js';

const help = `Usage: bluetick replay --url U [credentials] [options] <files or folders…>

Sends webhook bodies to a receiver as each provider would: Cloud bodies signed with
X-Hub-Signature-256 (over the \\u-escaped form, as Meta signs), WASender bodies with
X-Webhook-Signature, On-Premises bodies with the shared token. The provider is detected per file;
folders are read recursively (*.json). Exit 1 when any answer is not 2xx.

  --url U                 the receiver's webhook URL
  --secret S              Meta app secret (for Cloud payloads)
  --wasender-secret S     WASender webhook secret
  --onprem-token T        On-Premises token, sent as ?token=T …
  --onprem-header NAME    … or in this header
  --sign-raw              sign the exact bytes instead of Meta's escaped form
  --shuffle               send in a random order
  --duplicates F          also resend a fraction F (0..1) of the payloads, like provider retries
  --seed N                seed of --shuffle and --duplicates (default 1)
  --concurrency N         requests in flight (default 8)
  --json                  print the summary as JSON
  --quiet                 no progress output, only the summary
`;

function credentialsOf(parsed: Parameters<typeof stringOpt>[0]): ReplayCredentials {
  const credentials: ReplayCredentials = { signRaw: flag(parsed, 'sign-raw') };
  const cloud = stringOpt(parsed, 'secret');
  const wasender = stringOpt(parsed, 'wasender-secret');
  const onprem = stringOpt(parsed, 'onprem-token');
  const header = stringOpt(parsed, 'onprem-header');
  if (cloud !== undefined) credentials.cloudSecret = cloud;
  if (wasender !== undefined) credentials.wasenderSecret = wasender;
  if (onprem !== undefined) credentials.onpremToken = onprem;
  if (header !== undefined) credentials.onpremHeader = header;
  return credentials;
}

/** A progress display: one redrawn line on a TTY, one line per answer otherwise. */
function progress(io: CliIo, total: number, quiet: boolean): { onResult: (r: ReplayResult, s: ReplaySummary) => void; done: () => void } {
  if (quiet) return { onResult: () => undefined, done: () => undefined };
  if (io.stderr.isTTY === true) {
    let last = 0;
    const draw = (s: ReplaySummary) => io.stderr.write(`\r  sent ${count(s.sent)}/${count(total)}  ok ${count(s.sent - s.failed)}  failed ${count(s.failed)} `);
    let latest: ReplaySummary | null = null;
    return {
      onResult: (_r, s) => {
        latest = s;
        const now = Date.now();
        if (now - last >= 100) {
          last = now;
          draw(s);
        }
      },
      done: () => {
        if (latest !== null) draw(latest);
        io.stderr.write('\n');
      },
    };
  }
  return {
    onResult: (r) => println(io.stderr, `${r.status ?? 'ERR'}  ${r.payload.provider.padEnd(8)}  ${r.payload.label}${isSuccess(r.status) ? '' : `  ${r.detail.replace(/\s+/g, ' ').slice(0, 200)}`}`),
    done: () => undefined,
  };
}

/** `bluetick replay`: sends payload files to a receiver, signed per provider. */
export const replayCommand: Command = {
  name: 'replay',
  summary: 'send webhook files to a receiver, signed as each provider would',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('replay', args, {
      url: { type: 'string' },
      secret: { type: 'string' },
      'wasender-secret': { type: 'string' },
      'onprem-token': { type: 'string' },
      'onprem-header': { type: 'string' },
      'sign-raw': { type: 'boolean' },
      shuffle: { type: 'boolean' },
      duplicates: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (parsed.help) return printHelp(io, help);
    const url = requiredOpt('replay', parsed, 'url');
    if (!/^https?:\/\//.test(url)) throw usageError(`replay: --url must be an http(s) URL, got "${url}"`);
    if (parsed.positionals.length === 0) throw usageError('replay: give at least one file or folder (see bluetick replay --help)');
    const duplicates = numberOpt('replay', parsed, 'duplicates', 0, 0, 1, false);
    const concurrency = numberOpt('replay', parsed, 'concurrency', 8, 1, 1024);
    const random = seededRandom(numberOpt('replay', parsed, 'seed', 1, 0, 2 ** 32 - 1));
    const credentials = credentialsOf(parsed);

    const { payloads, skipped } = await loadPayloadFiles(parsed.positionals);
    for (const s of skipped) println(io.stderr, `skipped ${s.path}: ${s.reason}`);
    if (payloads.length === 0) throw usageError('replay: no webhook payload found in the given files');
    assertCredentials(payloads.map((p) => p.provider), credentials);
    const added = addDuplicates(payloads, duplicates, random);
    if (flag(parsed, 'shuffle')) shuffleInPlace(payloads, random);

    const json = flag(parsed, 'json');
    const display = progress(io, payloads.length, flag(parsed, 'quiet') || json);
    const summary = await replayPayloads(payloads, { url, credentials, concurrency, onResult: display.onResult });
    display.done();
    if (json) {
      const failures = summary.failures.map((f) => ({ label: f.payload.label, provider: f.payload.provider, status: f.status, detail: f.detail }));
      println(io.stdout, JSON.stringify({ ...summary, failures, duplicatesAdded: added, skipped }));
    } else {
      const rate = summary.durationMs > 0 ? Math.round((summary.sent / summary.durationMs) * 1000) : summary.sent;
      println(io.stdout, `Sent ${count(summary.sent)} requests (${count(added)} duplicates) to ${url} in ${duration(summary.durationMs)} (${count(rate)} req/s)`);
      for (const line of formatHttp(summary.byStatus)) println(io.stdout, line);
      for (const f of summary.failures.slice(0, 10)) println(io.stdout, `  ${f.status ?? 'ERR'} ${f.payload.label}: ${f.detail.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    return summary.failed === 0 ? EXIT.ok : EXIT.failure;
  },
};
