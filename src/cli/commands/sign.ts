import { signMetaPayload } from '../../verify/meta.js';
import { escapeNonAscii } from '../../verify/escape.js';
import { flag, parseCommandArgs, requiredOpt } from '../args.js';
import type { Command } from '../command.js';
import { readInput } from '../input.js';
import { EXIT, printHelp, println } from '../io.js';

const help = `Usage: bluetick sign --secret S [--escape] [--json] [file|-]

Prints the X-Hub-Signature-256 header Meta would send for a body: sha256=<hex HMAC-SHA256>.

  --secret S   the Meta app secret
  --escape     sign the form Meta signs: every non-ASCII character escaped as \\uXXXX
               (the header then verifies the escaped body, and the raw one through
               bluetick's escaped fallback)
  --json       print {"header", "escaped"} instead of the bare header
  file|-       the body (default: stdin)
`;

/** `bluetick sign`: the header Meta would send for a body. */
export const signCommand: Command = {
  name: 'sign',
  summary: 'print the X-Hub-Signature-256 header Meta would send for a body',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('sign', args, { secret: { type: 'string' }, escape: { type: 'boolean' }, json: { type: 'boolean' } });
    if (parsed.help) return printHelp(io, help);
    const secret = requiredOpt('sign', parsed, 'secret');
    const body = await readInput('sign', parsed.positionals[0], io);
    const escaped = flag(parsed, 'escape');
    // Escaping works on text: decode, escape, re-encode (ASCII-only output, so byte-exact).
    const signed = escaped ? escapeNonAscii(body.toString('utf8')) : body;
    const header = signMetaPayload(signed, secret);
    println(io.stdout, flag(parsed, 'json') ? JSON.stringify({ header, escaped }) : header);
    return EXIT.ok;
  },
};
