/**
 * The `listen --ui` page: one self-contained HTML document (no build step, nothing fetched but
 * its own JSON and event stream). Its Content-Security-Policy allows exactly its own inline script
 * and style, by hash, and connections to its own origin: a second wall behind the script's rule
 * of never parsing provider text as HTML.
 */
import { createHash } from 'node:crypto';
import { CLIENT_SCRIPT } from './client.js';

const STYLE = `
:root { color-scheme: light dark; --bg: #f7f7f8; --panel: #fff; --fg: #1d1d1f; --muted: #6b6b76; --line: #e3e3e8;
  --accent: #0b63ce; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --dup: #8250df; }
@media (prefers-color-scheme: dark) { :root { --bg: #111214; --panel: #1a1b1e; --fg: #e6e6e9; --muted: #9a9aa5;
  --line: #2c2d31; --accent: #5aa2ff; --ok: #4ac26b; --warn: #d4a72c; --bad: #ff7b72; --dup: #c297ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 16px; margin: 0; } h1 span { font-weight: 400; color: var(--muted); }
h2 { font-size: 13px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h3 { font-size: 12px; margin: 12px 0 4px; color: var(--muted); }
code, .mono, td.time, button.msg { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.meta { color: var(--muted); }
.conn { font-weight: 600; } .conn[data-state="live"] { color: var(--ok); } .conn[data-state="reconnecting"] { color: var(--warn); }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 12px; padding: 12px; }
@media (max-width: 1000px) { main { grid-template-columns: minmax(0, 1fr); } }
.col { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
.scroll { max-height: 46vh; overflow: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; position: sticky; top: 0; background: var(--panel); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.detail { overflow-wrap: anywhere; }
.hint, .muted { color: var(--muted); }
.count { color: var(--fg); font-weight: 600; margin-left: 4px; }
button.msg { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-align: left; overflow-wrap: anywhere; }
button.msg:hover { text-decoration: underline; }
tr.selected td { background: color-mix(in srgb, var(--accent) 12%, transparent); }
tr.dup { opacity: .7; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; border: 1px solid var(--line); font-size: 11px; }
.s-delivered, .s-read, .s-played { color: var(--ok); border-color: currentColor; }
.s-failed { color: var(--bad); border-color: currentColor; }
.s-pending, .s-sent { color: var(--warn); border-color: currentColor; }
.badge.dup { color: var(--dup); border-color: currentColor; }
td.barcell { width: 35%; vertical-align: middle; }
td.nowrap { white-space: nowrap; }
.bar { height: 6px; background: var(--accent); border-radius: 3px; min-width: 1px; }
q.text { quotes: "\\201C" "\\201D"; white-space: pre-wrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; } dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
ol.timeline { list-style: none; padding: 0; margin: 0; } ol.timeline li { padding: 3px 0; border-bottom: 1px solid var(--line); }
.tag { font-size: 11px; color: var(--warn); margin-left: 6px; }
.problem { color: var(--bad); }
`;

const BODY = `
<header>
  <h1>bluetick <span>listen</span></h1>
  <span id="conn" class="conn" data-state="connecting">connecting…</span>
  <span class="meta">webhooks: <code id="receiver">—</code> · store: <code id="store">—</code></span>
  <span id="problem" class="problem"></span>
</header>
<main>
  <div class="col">
    <section class="panel" aria-labelledby="events-h">
      <h2 id="events-h">Events <span class="count" id="events-count">0</span></h2>
      <div class="scroll"><table id="events">
        <thead><tr><th>received</th><th>kind</th><th>provider</th><th>message</th><th>status / type</th><th>detail</th></tr></thead>
        <tbody></tbody>
      </table></div>
    </section>
    <section class="panel" aria-labelledby="changes-h">
      <h2 id="changes-h">State changes <span class="count" id="changes-count">0</span></h2>
      <div class="scroll"><table id="changes">
        <thead><tr><th>at</th><th>message</th><th>recipient</th><th>status</th><th>flags</th></tr></thead>
        <tbody></tbody>
      </table></div>
    </section>
  </div>
  <div class="col">
    <section class="panel" aria-labelledby="funnel-h">
      <h2 id="funnel-h">Funnel</h2>
      <div id="funnel"><p class="hint">Waiting for the first report…</p></div>
    </section>
    <section class="panel" aria-labelledby="message-h">
      <h2 id="message-h">Message <code id="message-title"></code></h2>
      <div id="message"><p class="hint">Click a message id to see its delivery state and its timeline.</p></div>
    </section>
  </div>
</main>
`;

/** The page and the headers to send it with. */
export interface RenderedPage {
  html: string;
  headers: Record<string, string>;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Builds the page once; the server sends the same bytes to every request.
 *
 * @example
 * ```ts
 * const page = renderPage();
 * res.writeHead(200, page.headers).end(page.html);
 * ```
 */
export function renderPage(): RenderedPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bluetick listen</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>${BODY}<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(CLIENT_SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
  };
}
