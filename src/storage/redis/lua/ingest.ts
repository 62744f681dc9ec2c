/**
 * The ingest step as ONE Lua script: the claims, the merges (the lattice join, with the message
 * index, the stale index and the alias index) and the outbox records of the claimed events. Redis
 * runs a script atomically, so a step is applied entirely or not at all, and concurrent steps from
 * any number of processes serialize. ingest.ts builds the call (layout below) and reads the reply.
 *
 * KEYS: claim × nE | (state, index) × nM | stale sets (pending … read) | sequence | consumers |
 *       (queue, payloads) × nC | alias × (merges that declare one)
 * ARGV: nE nM nC claimTtlMs stateTtlMs leaseMs outboxTtlMs listenersConsumer(1-based, 0 none) |
 *       consumer name × nC | (event JSON, merge index of the event or 0) × nE, only when nC > 0 |
 *       (observation JSON, index member, alias message id or '', stale rank, stale time) × nM
 * Reply: { now, claimed ('1'/'0' per event), first record sequence, (before, after) × nM }, where
 *        before is the stored JSON ('' none) and after the new JSON ('' unchanged or new).
 *
 * Outbox records (docs/redis.md): per consumer a sorted set of record ids scored by lease end
 * and a hash of payloads `[appendedAt, event, before?, after?]` (before/after only for the
 * listeners' consumer). Fresh records are leased to the appender until now + leaseMs.
 */
import { COMMON_LUA } from './common.js';
import { LATTICE_LUA } from './lattice.js';

export const INGEST_LUA = `${COMMON_LUA}${LATTICE_LUA}
local nE, nM, nC = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local claimTtl, stateTtl, leaseMs, outboxTtl = ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
local listeners = tonumber(ARGV[8])
local t = now()

local kMerge = nE
local kStale = kMerge + 2 * nM
local kSeq = kStale + (STALE_MAX - STALE_MIN + 1) + 1
local kConsumers = kSeq + 1
local kOutbox = kConsumers
local kAlias = kOutbox + 2 * nC
local aName = 8
local aEvent = aName + nC
local aMerge = aEvent + (nC > 0 and 2 * nE or 0)

local claimed, nClaimed = {}, 0
for i = 1, nE do
  if redis.call('SET', KEYS[i], '1', 'PX', claimTtl, 'NX') then
    claimed[i] = '1'
    nClaimed = nClaimed + 1
  else
    claimed[i] = '0'
  end
end

local reply = { t, table.concat(claimed), 0 }
local befores, afters = {}, {}
for j = 1, nM do
  local sk, ix = KEYS[kMerge + 2 * j - 1], KEYS[kMerge + 2 * j]
  local a0 = aMerge + 5 * (j - 1)
  local obs, member, alias = ARGV[a0 + 1], ARGV[a0 + 2], ARGV[a0 + 3]
  local raw = redis.call('GET', sk)
  local before, after = '', ''
  if not raw then
    redis.call('SET', sk, obs, 'PX', stateTtl)
    local r = tonumber(ARGV[a0 + 4])
    if r ~= 0 then redis.call('ZADD', KEYS[kStale + r - STALE_MIN + 1], ARGV[a0 + 5], sk) end
    afters[j] = obs
  else
    before = raw
    local a = cjson.decode(raw)
    local r0 = staleRank(a)
    if join(a, cjson.decode(obs)) then
      after = cjson.encode(a)
      redis.call('SET', sk, after, 'PX', stateTtl)
      local r1 = staleRank(a)
      if r0 ~= 0 and r0 ~= r1 then redis.call('ZREM', KEYS[kStale + r0 - STALE_MIN + 1], sk) end
      if r1 ~= 0 then redis.call('ZADD', KEYS[kStale + r1 - STALE_MIN + 1], timeAt(a, r1), sk) end
      afters[j] = after
    else
      redis.call('PEXPIRE', sk, stateTtl)
      afters[j] = raw
    end
  end
  befores[j] = raw
  redis.call('SADD', ix, member)
  redis.call('PEXPIRE', ix, stateTtl)
  if alias ~= '' then
    kAlias = kAlias + 1
    redis.call('SET', KEYS[kAlias], alias, 'PX', stateTtl)
  end
  reply[#reply + 1] = before
  reply[#reply + 1] = after
end
if nM > 0 then
  for k = kStale + 1, kStale + STALE_MAX - STALE_MIN + 1 do redis.call('PEXPIRE', k, stateTtl) end
end

if nC > 0 and nClaimed > 0 then
  local count = nClaimed * nC
  local seq = redis.call('INCRBY', KEYS[kSeq], count) - count
  reply[3] = seq + 1
  local leaseEnd = t + leaseMs
  local scores, payloads = {}, {}
  for c = 1, nC do scores[c] = {}; payloads[c] = {} end
  for i = 1, nE do
    if claimed[i] == '1' then
      local event = ARGV[aEvent + 2 * i - 1]
      local m = tonumber(ARGV[aEvent + 2 * i])
      local plain = '[' .. t .. ',' .. event .. ']'
      local full = plain
      if listeners > 0 and m > 0 then full = '[' .. t .. ',' .. event .. ',' .. (befores[m] or 'null') .. ',' .. afters[m] .. ']' end
      for c = 1, nC do
        seq = seq + 1
        local id = recordId(seq)
        local s, p = scores[c], payloads[c]
        s[#s + 1] = leaseEnd
        s[#s + 1] = id
        p[#p + 1] = id
        p[#p + 1] = (c == listeners) and full or plain
      end
    end
  end
  for c = 1, nC do
    local q, p = KEYS[kOutbox + 2 * c - 1], KEYS[kOutbox + 2 * c]
    callChunked('ZADD', q, scores[c])
    callChunked('HSET', p, payloads[c])
    redis.call('PEXPIRE', q, outboxTtl)
    redis.call('PEXPIRE', p, outboxTtl)
    redis.call('SADD', KEYS[kConsumers], ARGV[aName + c])
  end
  redis.call('PEXPIRE', KEYS[kConsumers], outboxTtl)
end
return reply
`;
