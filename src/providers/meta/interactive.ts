import type { MessageEvent, MessageInteraction } from '../../event/types.js';
import { obj, str } from '../read.js';

function parseResponse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // not JSON: keep what the flow sent
  }
}

/**
 * `interactive` replies. `button_reply` / `list_reply` become an interaction whose title is also
 * the message text (what the user "said"); `nfm_reply` (flow completion) parses `response_json`
 * and keeps the flow's `name` and `body` in `details`, the body as text. Other subtypes
 * (`call_permission_reply`, …) keep the raw object in `details.interactive`.
 */
export function setInteractive(ev: MessageEvent, raw: unknown): void {
  ev.type = 'interactive';
  const inter = obj(raw);
  if (inter === undefined) return;
  const kind = inter.type;
  if (kind === 'button_reply' || kind === 'list_reply') {
    const reply = obj(inter[kind]) ?? {};
    const interaction: MessageInteraction = { kind };
    const id = str(reply.id);
    if (id !== undefined) interaction.id = id;
    const title = str(reply.title);
    if (title !== undefined) {
      interaction.title = title;
      ev.text = title;
    }
    const description = str(reply.description);
    if (description !== undefined) interaction.description = description;
    ev.interaction = interaction;
  } else if (kind === 'nfm_reply') {
    const reply = obj(inter.nfm_reply) ?? {};
    const interaction: MessageInteraction = { kind };
    if (reply.response_json !== undefined) interaction.response = parseResponse(reply.response_json);
    ev.interaction = interaction;
    const details: Record<string, unknown> = {};
    const name = str(reply.name);
    if (name !== undefined) details.name = name;
    const body = str(reply.body);
    if (body !== undefined) {
      details.body = body;
      ev.text = body;
    }
    ev.details = details;
  } else {
    ev.details = { interactive: raw };
  }
}

/**
 * A template quick-reply `button`: `payload` is what the business set on the button, `text`
 * what the user saw and tapped (also the message text).
 */
export function setButton(ev: MessageEvent, raw: unknown): void {
  ev.type = 'button';
  const b = obj(raw) ?? {};
  const interaction: MessageInteraction = { kind: 'quick_reply' };
  const payload = str(b.payload);
  if (payload !== undefined) interaction.payload = payload;
  const title = str(b.text);
  if (title !== undefined) {
    interaction.title = title;
    ev.text = title;
  }
  ev.interaction = interaction;
}
