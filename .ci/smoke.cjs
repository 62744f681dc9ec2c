// CommonJS consumer of the packed tarball.
const assert = require('node:assert');
const { normalize, NormalizeError } = require('bluetick');
const body = JSON.stringify({ statuses: [{ id: 'gBG1', status: 'read', timestamp: '1602535356', recipient_id: '16315553601' }] });
const { provider, events } = normalize(body);
assert.equal(provider, 'onprem');
assert.equal(events.length, 1);
assert.equal(events[0].status, 'read');
assert.throws(() => normalize('nope'), NormalizeError);
console.log('cjs require ok');
