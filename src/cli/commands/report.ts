import { present } from '../../tracking/present.js';
import { flag, parseCommandArgs, stringOpt } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, printHelp, println } from '../io.js';
import { formatReport } from '../report/format.js';
import { buildReport } from '../report/model.js';
import { openStore, parseStoreSpec } from '../store-option.js';

const help = `Usage: bluetick report --store S [--json]

The delivery report (funnel, latency percentiles, failures by error code, campaigns) of every
delivery state a store holds.

  --store S   pglite:<dir>, postgres://… or redis://host:6379[?prefix=bluetick:] (memory
              keeps nothing between processes: use bluetick listen, which prints the report
              of its session on exit)
  --json      print the report as JSON
`;

/** `bluetick report`: the delivery report of a persistent store. */
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
    const opened = await openStore(spec);
    try {
      if (opened.listStates === undefined) {
        throw new CliError('unsupported_store', `report: reading every state back is not supported for ${spec.kind} stores yet; bluetick listen --store ${spec.kind === 'redis' ? spec.url : '…'} prints the report of its session on exit`);
      }
      const states = (await opened.listStates()).map((s) => present(s));
      const report = buildReport({ states });
      if (flag(parsed, 'json')) println(io.stdout, JSON.stringify(report));
      else io.stdout.write(formatReport(report, `Delivery report (${states.length} states in ${spec.kind})`));
      return EXIT.ok;
    } finally {
      await opened.close();
    }
  },
};
