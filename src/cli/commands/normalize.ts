import { NormalizeError } from '../../errors.js';
import type { Provider } from '../../event/types.js';
import { normalize } from '../../normalize.js';
import { flag, parseCommandArgs, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { readInput } from '../input.js';
import { CliError, EXIT, printHelp, usageError } from '../io.js';

const help = `Usage: bluetick normalize [--provider cloud|onprem|wasender] [--raw] [--summary] [file|-]

Prints the canonical events of a webhook body as NDJSON (one JSON event per line), exactly what
normalize() returns. Exit 1 when the envelope itself is unusable (not JSON, unknown provider).

  --provider P   force the provider instead of detecting it from the body
  --raw          keep each provider item as "raw" on its event
  --summary      print {"provider", "events", "byKind"} instead of the events
  file|-         the body (default: stdin)
`;

const PROVIDERS: readonly Provider[] = ['cloud', 'onprem', 'wasender'];

/** `bluetick normalize`: canonical events of a body, as NDJSON. */
export const normalizeCommand: Command = {
  name: 'normalize',
  summary: 'print the canonical events of a webhook body as NDJSON',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('normalize', args, { provider: { type: 'string' }, raw: { type: 'boolean' }, summary: { type: 'boolean' } });
    if (parsed.help) return printHelp(io, help);
    const provider = stringOpt(parsed, 'provider');
    if (provider !== undefined && !PROVIDERS.includes(provider as Provider)) {
      throw usageError(`normalize: --provider must be one of ${PROVIDERS.join(', ')}, got "${provider}"`);
    }
    const body = await readInput('normalize', parsed.positionals[0], io);
    let result;
    try {
      result = normalize(body, { provider: provider as Provider | undefined, keepRaw: flag(parsed, 'raw') });
    } catch (error) {
      if (error instanceof NormalizeError) throw new CliError(error.code, `normalize: ${error.code}: ${error.message}`);
      throw error;
    }
    if (flag(parsed, 'summary')) {
      const byKind: Record<string, number> = {};
      for (const e of result.events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
      io.stdout.write(`${JSON.stringify({ provider: result.provider, events: result.events.length, byKind })}\n`);
      return EXIT.ok;
    }
    // One write: a large batch is printed at once instead of thousands of small writes.
    io.stdout.write(result.events.map((e) => JSON.stringify(e) + '\n').join(''));
    return EXIT.ok;
  },
};
