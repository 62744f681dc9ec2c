// ESM consumer of the packed tarball.
import assert from 'node:assert';
import { normalize, eventSchema } from 'bluetick';
const body = JSON.stringify({ event: 'messages.update', sessionId: 's1', timestamp: 1747775431467, data: { update: { status: 3 }, key: { remoteJid: '5511999990002@s.whatsapp.net', id: 'ABC', fromMe: true } } });
const { provider, events } = normalize(body);
assert.equal(provider, 'wasender');
assert.equal(events[0].status, 'delivered');
eventSchema.parse(events[0]);
console.log('esm import ok');
