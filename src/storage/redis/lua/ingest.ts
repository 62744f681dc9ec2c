/**
 * The ingest step as ONE Lua script: the claims, the merges (the lattice join, with the stale
 * index and the alias index) and the outbox records of the claimed events. Redis runs a script
 * atomically, so a step is applied entirely or not at all, and concurrent steps from any number of
 * processes serialize. ingest.ts builds the call (layout below) and reads the reply.
 *
 * KEYS: claim × nE | message hash × nM | stale sets (pending … read) | sequence | consumers |
 *       (queue, payloads) × nC | alias × (merges that declare one)
 * ARGV: nE nM nC claimTtlMs stateTtlMs leaseMs outboxTtlMs listenersConsumer(1-based, 0 none) |
 *       consumer name × nC | (event JSON, merge index of the event or 0) × nE, only when nC > 0 |
 *       (observation JSON, hash field, stateKey, alias message id or '', stale rank, stale time) × nM
 * Reply: { now, claimed ('1'/'0' per event), first entry sequence, (before, after) × nM }, where
 *        before is the state's JSON before that merge ('' none: the observation created it) and
 *        after its JSON after the merge ('' unchanged, or created).
 *
 * The script reads and joins everything first and writes only then (phase 1, phase 2): Redis does
 * not undo the writes of a script that fails midway, so a corrupt state or a key of another type
 * must fail the step before its first write. A key merged several times in one step is read
 * once, joined in memory and written once; each message hash gets one PEXPIRE per step.
 *
 * Outbox records (docs/redis.md, lua/outbox.ts): per consumer ONE entry `<seq>/<k>` holding the
 * records of the k claimed events, a member of the consumer's lease queue (scored now + leaseMs:
 * leased to the appender), its payload in fields of the payload hash that hold strings this
 * script already has (the events, the states before and after for the listeners' consumer), so
 * that nothing is concatenated: Redis's Lua hashes every byte of every string it creates.
 */
import { COMMON_LUA } from './common.js';
import { LATTICE_LUA } from './lattice.js';

export const INGEST_LUA = `${COMMON_LUA}${LATTICE_LUA}
local nE, nM, nC = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local claimTtl, stateTtl, leaseMs, outboxTtl = ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
local listeners = tonumber(ARGV[8])
local t = now()

local kMerge = nE
local kStale = kMerge + nM
local kSeq = kStale + (STALE_MAX - STALE_MIN + 1) + 1
local kConsumers = kSeq + 1
local kOutbox = kConsumers
local kAlias = kOutbox + 2 * nC
local aName = 8
local aEvent = aName + nC
local aMerge = aEvent + (nC > 0 and 2 * nE or 0)

-- Phase 1 reads, checks and joins; it writes nothing. Redis does not roll back a script that
-- fails after writing, so everything that can fail (a corrupt state, a key of another type)
-- fails here, and the step is applied whole or not at all.
local function expectType(key, want)
  local ty = redis.call('TYPE', key).ok
  if ty ~= 'none' and ty ~= want then error('bluetick: ' .. key .. ' is a ' .. ty .. ', expected a ' .. want) end
end
-- (Reads of a key of another type raise too: GET, HGET, SISMEMBER. Every check is one O(1) call.)
local newConsumer = {}
if nC > 0 then
  local seq = redis.call('GET', KEYS[kSeq])
  if seq and not tonumber(seq) then error('bluetick: ' .. KEYS[kSeq] .. ' is not a number') end
  for c = 1, nC do
    newConsumer[c] = redis.call('SISMEMBER', KEYS[kConsumers], ARGV[aName + c]) == 0
    expectType(KEYS[kOutbox + 2 * c - 1], 'zset')
    expectType(KEYS[kOutbox + 2 * c], 'hash')
  end
end

local reply = { t, '', 0 }
-- per state (by its stateKey): raw = its JSON now, a = decoded (lazily), r0 = stale rank before the step
local states, order = {}, {}
local befores, afters = {}, {}
for j = 1, nM do
  local a0 = aMerge + 6 * (j - 1)
  local obs, sk = ARGV[a0 + 1], ARGV[a0 + 3]
  local st = states[sk]
  if not st then
    local hk, field = KEYS[kMerge + j], ARGV[a0 + 2]
    local raw = redis.call('HGET', hk, field)
    st = { raw = raw, hk = hk, field = field, r0 = 0, dirty = false }
    if raw then
      st.a = decodeState(raw)
      st.r0 = staleRank(st.a)
    end
    states[sk] = st
    order[#order + 1] = sk
  end
  local before = st.raw
  befores[j] = before
  if not before then
    st.raw, st.dirty, st.obsRank, st.obsAt = obs, true, tonumber(ARGV[a0 + 5]), ARGV[a0 + 6]
    reply[#reply + 1] = ''
    reply[#reply + 1] = ''
  else
    if not st.a then st.a = decodeState(before) end
    local after = ''
    if join(st.a, decodeState(obs)) then
      after = cjson.encode(st.a)
      st.raw, st.dirty = after, true
    end
    reply[#reply + 1] = before
    reply[#reply + 1] = after
  end
  afters[j] = st.raw
end
-- The stale set each state leaves and joins; only those are checked, written and refreshed.
local staleTouched = {}
for _, sk in ipairs(order) do
  local st = states[sk]
  local r1, at1 = st.obsRank, st.obsAt
  if st.a then
    r1 = staleRank(st.a)
    if r1 ~= 0 then at1 = timeAt(st.a, r1) end
  end
  st.r1, st.at1 = r1, at1
  if st.r0 ~= 0 and st.r0 ~= r1 then staleTouched[st.r0] = true end
  if r1 ~= 0 and st.dirty then staleTouched[r1] = true end
end
for r in pairs(staleTouched) do expectType(KEYS[kStale + r - STALE_MIN + 1], 'zset') end
-- TTLs refreshed: the sets written, and the set of every state merged (its entry lives as long as it)
local staleRefresh = {}
for r in pairs(staleTouched) do staleRefresh[r] = true end
for _, sk in ipairs(order) do
  local r = states[sk].r1
  if r ~= 0 then staleRefresh[r] = true end
end

-- Phase 2 writes: claims, states (one PEXPIRE per message) and the stale index, aliases, the outbox.
local claimed, nClaimed = {}, 0
for i = 1, nE do
  if redis.call('SET', KEYS[i], '1', 'PX', claimTtl, 'NX') then
    claimed[i] = '1'
    nClaimed = nClaimed + 1
  else
    claimed[i] = '0'
  end
end
reply[2] = table.concat(claimed)

-- The stale index is written with one ZREM and one ZADD per set (a member is in a step once).
local touched, zrem, zadd = {}, {}, {}
for r = STALE_MIN, STALE_MAX do
  zrem[r] = {}
  zadd[r] = {}
end
for _, sk in ipairs(order) do
  local st = states[sk]
  if st.dirty then redis.call('HSET', st.hk, st.field, st.raw) end
  if not touched[st.hk] then
    touched[st.hk] = true
    redis.call('PEXPIRE', st.hk, stateTtl)
  end
  if st.r0 ~= 0 and st.r0 ~= st.r1 then
    local l = zrem[st.r0]
    l[#l + 1] = sk
  end
  if st.r1 ~= 0 and st.dirty then
    local l = zadd[st.r1]
    l[#l + 1] = st.at1
    l[#l + 1] = sk
  end
end
for r = STALE_MIN, STALE_MAX do
  local key = KEYS[kStale + r - STALE_MIN + 1]
  if #zrem[r] > 0 then callChunked('ZREM', key, zrem[r]) end
  if #zadd[r] > 0 then callChunked('ZADD', key, zadd[r]) end
end
for r in pairs(staleRefresh) do redis.call('PEXPIRE', KEYS[kStale + r - STALE_MIN + 1], stateTtl) end
for j = 1, nM do
  local alias = ARGV[aMerge + 6 * (j - 1) + 4]
  if alias ~= '' then
    kAlias = kAlias + 1
    redis.call('SET', KEYS[kAlias], alias, 'PX', stateTtl)
  end
end

if nC > 0 and nClaimed > 0 then
  -- One entry per consumer: member '<seq>/<k>' of the k claimed events' records, its payload in
  -- fields that hold strings the script already has (lua/outbox.ts): nothing is concatenated.
  local seq = redis.call('INCRBY', KEYS[kSeq], nC) - nC
  reply[3] = seq + 1
  local leaseEnd = t + leaseMs
  for c = 1, nC do
    local q, p = KEYS[kOutbox + 2 * c - 1], KEYS[kOutbox + 2 * c]
    local e = recordId(seq + c) .. '/' .. nClaimed
    local fields = { e, t }
    local r = 0
    for i = 1, nE do
      if claimed[i] == '1' then
        local f = e .. ':' .. r
        fields[#fields + 1] = f
        fields[#fields + 1] = ARGV[aEvent + 2 * i - 1]
        if c == listeners then
          local m = tonumber(ARGV[aEvent + 2 * i])
          if m > 0 then
            fields[#fields + 1] = f .. 'a'
            fields[#fields + 1] = afters[m]
            if befores[m] then
              fields[#fields + 1] = f .. 'b'
              fields[#fields + 1] = befores[m]
            end
          end
        end
        r = r + 1
      end
    end
    redis.call('ZADD', q, leaseEnd, e)
    callChunked('HSET', p, fields)
    if nClaimed > 1 then redis.call('HINCRBY', p, '#', nClaimed - 1) end
    redis.call('PEXPIRE', q, outboxTtl)
    redis.call('PEXPIRE', p, outboxTtl)
    if newConsumer[c] then redis.call('SADD', KEYS[kConsumers], ARGV[aName + c]) end
  end
end
return reply
`;
