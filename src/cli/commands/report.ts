import { createTracker } from '../../tracking/tracker.js';
import { flag, parseCommandArgs, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, printHelp, println } from '../io.js';
import { formatReport } from '../report/format.js';
import { buildReport } from '../report/model.js';
import { openStore, parseStoreSpec } from '../store-option.js';

const help = `Usage: bluetick report --store S [--json]

The delivery report of every delivery state a store holds: the funnel over all states and over
the messages the host tracked, latency percentiles by provider timestamps, failures by error
code, replies to buttons and lists, revenue.

  --store S   pglite:<dir>, postgres://… or redis://host:6379[?prefix=bluetick:] (memory
              keeps nothing between processes: use bluetick listen, which prints the report
              of its session on exit)
  --json      print the report as JSON
`;

/** `bluetick report`: the delivery report of a persistent store, through the public API. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'print the delivery report of the states a store holds',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('report', args, { store: { type: 'string' }, json: { type: 'boolean' } });
    if (parsed.help) return printHelp(io, help);
    const spec = parseStoreSpec('report', stringOpt(parsed, 'store'));
    if (spec.kind === 'memory') {
      throw new CliError(
        'nothing_persisted',
        'report: the memory store keeps nothing once its process exits, so there is nothing to report: run bluetick listen (it prints the report on exit), or use --store pglite:<dir> / postgres://… / redis://…',
      );
    }
    const opened = await openStore('report', spec);
    // A reader, not a receiver: no listeners, so it never takes outbox records meant for them.
    const tracker = createTracker({ store: opened.store, durableListeners: false });
    try {
      const report = await buildReport(tracker);
      if (flag(parsed, 'json')) println(io.stdout, JSON.stringify(report));
      else io.stdout.write(formatReport(report, `Delivery report of ${opened.label}`));
      return EXIT.ok;
    } finally {
      await tracker.close();
    }
  },
};
