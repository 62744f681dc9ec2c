import { flag, numberOpt, parseCommandArgs, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, printHelp, println } from '../io.js';
import { table } from '../report/table.js';
import { openStore, parseStoreSpec } from '../store-option.js';

const help = `Usage: bluetick dead-letters --store S [--sink NAME] [--limit N] [--replay] [--json]

The events a sink kept refusing (retries exhausted, a non-retryable answer, too old), as the
store's outbox recorded them: the sink, the reason, the attempts and the last error. With
--replay they go back into the outbox: the receivers' dispatchers deliver them again.

  --store S     pglite:<dir>, postgres://… or redis://host:6379[?prefix=bluetick:]
  --sink NAME   only this sink's dead letters
  --limit N     at most N listed (default 100)
  --replay      move them back into the outbox (all listed ones, or every one of --sink)
  --json        one JSON object per line
`;

/** `bluetick dead-letters`: list (and replay) what the outbox dead-lettered. */
export const deadLettersCommand: Command = {
  name: 'dead-letters',
  summary: "list a store's dead-lettered events, and replay them",
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('dead-letters', args, { store: { type: 'string' }, sink: { type: 'string' }, limit: { type: 'string' }, replay: { type: 'boolean' }, json: { type: 'boolean' } });
    if (parsed.help) return printHelp(io, help);
    const spec = parseStoreSpec('dead-letters', stringOpt(parsed, 'store'));
    if (spec.kind === 'memory') throw new CliError('nothing_persisted', "dead-letters: the memory store's outbox lives in its receiver's process: give --store pglite:<dir>, postgres://… or redis://…");
    const sink = stringOpt(parsed, 'sink');
    const limit = numberOpt('dead-letters', parsed, 'limit', 100, 1, 1_000_000);
    const opened = await openStore('dead-letters', spec);
    const store = opened.store;
    if (store === undefined) return EXIT.failure;
    try {
      const dead = await store.outbox.deadLetters({ ...(sink === undefined ? {} : { consumer: sink }), limit });
      if (flag(parsed, 'replay')) {
        const moved = await store.outbox.replay(sink !== undefined && dead.length < limit ? { consumer: sink } : { ids: dead.map((d) => d.id) });
        println(io.stdout, flag(parsed, 'json') ? JSON.stringify({ replayed: moved }) : `replayed ${moved} dead letter(s) into the outbox of ${opened.label}: running receivers deliver them again`);
        return EXIT.ok;
      }
      if (flag(parsed, 'json')) {
        for (const d of dead) println(io.stdout, JSON.stringify(d));
        return EXIT.ok;
      }
      if (dead.length === 0) {
        println(io.stdout, `no dead letters${sink === undefined ? '' : ` for sink ${sink}`} in ${opened.label}`);
        return EXIT.ok;
      }
      const rows: Array<Array<string | number>> = [['sink', 'event', 'kind', 'reason', 'attempts', 'when', 'last error']];
      for (const d of dead) rows.push([d.consumer, d.event.id, d.event.kind, d.reason, d.attempts, new Date(d.at).toISOString(), d.message.length > 80 ? `${d.message.slice(0, 79)}…` : d.message]);
      for (const line of table(rows, ['l', 'l', 'l', 'l', 'r', 'l', 'l'])) println(io.stdout, line);
      println(io.stdout, `\n${dead.length} dead letter(s)${dead.length === limit ? ` (the first ${limit}; --limit for more)` : ''}. Replay with: bluetick dead-letters --store … ${sink === undefined ? '' : `--sink ${sink} `}--replay`);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
