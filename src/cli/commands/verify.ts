import { ConfigError } from '../../errors.js';
import { diagnoseMetaSignature } from '../../verify/diagnose-node.js';
import { hasNonAsciiBytes } from '../../verify/escape.js';
import { verifyMetaSignature } from '../../verify/meta.js';
import type { MetaSignatureResult } from '../../verify/types.js';
import { flag, parseCommandArgs, requiredOpt, stringsOpt } from '../args.js';
import type { Command } from '../command.js';
import { readInput } from '../input.js';
import { EXIT, printHelp, println, usageError } from '../io.js';

const help = `Usage: bluetick verify --secret S --signature H [--allow-sha1] [--json] [file|-]

Checks a Meta X-Hub-Signature-256 (or legacy X-Hub-Signature) against a body and, when it does
not verify, says why: wrong secret, body re-serialized before verification, whitespace around the
secret, only the SHA-1 header sent. Exit 0 when it verifies, 1 when it does not.

  --secret S      the Meta app secret (repeat for several: rotation, several apps)
  --signature H   the header value, e.g. sha256=4f1c…
  --allow-sha1    accept a sha1=… signature (legacy X-Hub-Signature)
  --json          print the result as JSON
  file|-          the exact body received (default: stdin)
`;

const WRONG_SECRET =
  'No configured secret produces this signature over the body, its \\u-escaped form or a re-serialized form: ' +
  'the app secret is wrong (App Dashboard → Settings → Basic → App secret), or the body is not the one that was signed.';

interface Verdict {
  ok: boolean;
  code: string;
  message: string;
  escaped?: boolean;
  secretIndex?: number;
  algorithm?: 'sha256' | 'sha1';
}

function success(result: Extract<MetaSignatureResult, { ok: true }>, count: number): Verdict {
  const which = count > 1 ? ` with secret #${result.secretIndex + 1}` : '';
  const message = result.escaped
    ? `The signature verifies over the \\u-escaped form of the body${which} (how Meta signs), not over the raw bytes: a receiver must retry the escaped form when the raw bytes fail (bluetick does).`
    : `The signature verifies over the raw bytes${which}.`;
  return { ok: true, code: result.escaped ? 'verified_escaped' : 'verified', message, escaped: result.escaped, secretIndex: result.secretIndex, algorithm: result.algorithm };
}

async function failure(body: Buffer, signature: string, secrets: string[], result: Extract<MetaSignatureResult, { ok: false }>): Promise<Verdict> {
  const hint = await diagnoseMetaSignature(body, signature, secrets);
  if (hint !== null) {
    let message = hint.message;
    if (hint.code === 'sha1_only' && verifyMetaSignature(body, signature, secrets, { allowSha1: true }).ok) {
      message += ' (This SHA-1 signature does verify with --allow-sha1.)';
    }
    return { ok: false, code: hint.code, message };
  }
  if (result.reason === 'mismatch') {
    const unicode = hasNonAsciiBytes(body) ? ' The body has non-ASCII characters and neither the raw nor the escaped form verifies.' : '';
    return { ok: false, code: 'wrong_secret', message: WRONG_SECRET + unicode };
  }
  return { ok: false, code: `signature_${result.reason}`, message: result.message };
}

/** `bluetick verify`: verifies a Meta signature and diagnoses failures. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a Meta signature against a body, and say why it fails',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('verify', args, {
      secret: { type: 'string', multiple: true },
      signature: { type: 'string' },
      'allow-sha1': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (parsed.help) return printHelp(io, help);
    const secrets = stringsOpt(parsed, 'secret');
    if (secrets.length === 0 || secrets.some((s) => s === '')) throw usageError('verify: --secret is required (see bluetick verify --help)');
    const signature = requiredOpt('verify', parsed, 'signature').trim();
    const body = await readInput('verify', parsed.positionals[0], io);
    let result: MetaSignatureResult;
    try {
      result = verifyMetaSignature(body, signature, secrets, { allowSha1: flag(parsed, 'allow-sha1') });
    } catch (error) {
      if (error instanceof ConfigError) throw usageError(`verify: ${error.message}`);
      throw error;
    }
    const verdict = result.ok ? success(result, secrets.length) : await failure(body, signature, secrets, result);
    if (flag(parsed, 'json')) println(io.stdout, JSON.stringify(verdict));
    else println(io.stdout, `${verdict.ok ? 'OK' : 'FAIL'} (${verdict.code}): ${verdict.message}`);
    return verdict.ok ? EXIT.ok : EXIT.failure;
  },
};
