/**
 * The outbox scripts (one consumer each; the layout is in keys.ts, the design in outbox.ts):
 *
 * - lease   KEYS q p n           ARGV limit leaseMs ttlMs          → { now, (member, attempts, payload)… }
 * - ack     KEYS q p n           ARGV id…                          → removed count
 * - release KEYS q p n           ARGV id…                          → released count
 * - dead    KEYS q p n dz dp dm consumers  ARGV ttlMs max consumer (id, reason JSON)… → moved count
 * - list    KEYS dz dp dm        ARGV limit (-1: all)              → { (id, at, payload, reason)… }
 * - replay  KEYS q p n dz dp dm consumers  ARGV ttlMs consumer limit id… → { moved, seen }
 * - stats   KEYS consumers (q p dz)…        ARGV consumer…        → { pending, dead }… (drops names with neither)
 *
 * A record is available when its score (lease end, epoch ms of the server clock) is ≤ now; 0
 * means "available now" (released or replayed). The lease-count hash holds how many leases a
 * record had; absent means 1: every appended record starts leased to its appender.
 *
 * Entries: the ingest script appends the k records one step gives a consumer as ONE queue member
 * `<seq>/<k>` (an entry); record i of it has the id `<seq>/<k>:<i>`. Its payload is spread over
 * fields of the payload hash that hold strings the script already has, so appending concatenates
 * nothing. Redis's Lua hashes every byte of every string it creates, and its table.concat builds
 * intermediate strings: with one payload string per record, 400-event steps for the listeners'
 * consumer took 148 k server instructions per event (callgrind), with these fields 121 k; with
 * compact states too, bench/redis.ts's tracker-shaped steps went from 43 to 29 µs of server CPU
 * per event.
 *
 *   `<entry>` → appendedAt   `<entry>:<i>` → event JSON   `<entry>:<i>a` / `:<i>b` → after / before
 *   (the listeners' consumer, status events; no `b`: the state was created)
 *
 * An operation on ALL the records of an entry (the tracker acks, leases and releases whole steps)
 * costs what one record costs. The first one that needs only some of them (a partial ack, release
 * or lease, a dead letter) first EXPLODES the entry: each record becomes a member `<seq>/<k>:<i>`
 * of its own, with the entry's score and lease count and the payload `[appendedAt, event,
 * before?, after?]` in its field, like a record appended one by one, and is handled per record
 * from then on. The payload hash's field `#` counts the records entries hold beyond their first
 * (Σ k − 1), so stats stay O(1).
 */
import { COMMON_LUA } from './common.js';

/**
 * Lua helpers of the scripts that read the queue: `packedOf(member)` (k of an entry, or nil),
 * `entryOf(id)` (the entry of a record id, its k and its index, or nil), `piecesOf(p, e, k)` (an
 * entry's fields, HMGET order: i = 0..k-1 × (event, after, before)), `explode(q, p, n, e, k)`
 * (true when the entry was there and is now k members), `dropEntry(q, p, n, e, k)` and `byEntry`.
 */
export const PACKED_LUA = `
local function packedOf(member)
  local k = string.match(member, '^%d+/(%d+)$')
  return k and tonumber(k)
end

local function entryOf(id)
  local e, k, i = string.match(id, '^(%d+/(%d+)):(%d+)$')
  if not e then return nil end
  k, i = tonumber(k), tonumber(i)
  if i >= k then return nil end
  return e, k, i
end

local function fieldsOf(e, k)
  local f = {}
  for i = 0, k - 1 do
    local r = e .. ':' .. i
    f[#f + 1] = r
    f[#f + 1] = r .. 'a'
    f[#f + 1] = r .. 'b'
  end
  return f
end

local function piecesOf(p, e, k)
  local f = fieldsOf(e, k)
  local out = {}
  for c = 1, #f, 999 do
    local part = redis.call('HMGET', p, unpack(f, c, math.min(#f, c + 998)))
    for j = 1, #part do out[#out + 1] = part[j] end -- absent fields are false
  end
  return out
end

-- records an entry still holds (its field '<entry>:n' once some were acked; else k)
local function leftOf(p, e, k)
  return tonumber(redis.call('HGET', p, e .. ':n')) or k
end

-- removes an entry holding \`left\` records: member, fields, lease count, counter
local function dropEntry(q, p, n, e, k, left)
  local removed = redis.call('ZREM', q, e)
  local f = fieldsOf(e, k)
  f[#f + 1] = e
  f[#f + 1] = e .. ':n'
  callChunked('HDEL', p, f)
  redis.call('HDEL', n, e)
  redis.call('HINCRBY', p, '#', 1 - left)
  return removed
end

-- acks some records of an entry that is there: their fields go, the entry keeps the others
local function ackSome(q, p, n, e, k, ids)
  local left0 = leftOf(p, e, k)
  local evf, rest = {}, {}
  for _, id in ipairs(ids) do
    evf[#evf + 1] = id
    rest[#rest + 1] = id .. 'a'
    rest[#rest + 1] = id .. 'b'
  end
  local gone = 0
  for c = 1, #evf, 1000 do gone = gone + redis.call('HDEL', p, unpack(evf, c, math.min(#evf, c + 999))) end
  callChunked('HDEL', p, rest)
  local left1 = left0 - gone
  if left1 <= 0 then
    dropEntry(q, p, n, e, k, left0)
  elseif gone > 0 then
    redis.call('HSET', p, e .. ':n', left1)
    redis.call('HINCRBY', p, '#', -gone)
  end
  return gone
end

local function explode(q, p, n, e, k)
  local t = redis.call('HGET', p, e)
  if not t then return false end
  local score = redis.call('ZSCORE', q, e)
  local count = redis.call('HGET', n, e)
  local left = leftOf(p, e, k)
  local zs, ps, ns = {}, {}, {}
  if score then
    for i = 0, k - 1 do
      local r = e .. ':' .. i
      local v = redis.call('HMGET', p, r, r .. 'a', r .. 'b')
      if v[1] then
        local line = v[2] and ('[' .. t .. ',' .. v[1] .. ',' .. (v[3] or 'null') .. ',' .. v[2] .. ']') or ('[' .. t .. ',' .. v[1] .. ']')
        zs[#zs + 1] = score
        zs[#zs + 1] = r
        ps[#ps + 1] = r
        ps[#ps + 1] = line
        if count then
          ns[#ns + 1] = r
          ns[#ns + 1] = count
        end
      end
    end
  end
  dropEntry(q, p, n, e, k, left)
  if #zs == 0 then return false end
  callChunked('ZADD', q, zs)
  callChunked('HSET', p, ps)
  if #ns > 0 then callChunked('HSET', n, ns) end
  return true
end

-- Groups record ids by entry: returns the ids to handle one by one (records of their own, and
-- records of entries that were exploded because only some of their records were named) and the
-- entries named whole (entry, k, …). A bare entry member names all its records. Some records of
-- an entry that is there go to \`some(e, k, ids)\` when given (ack), else the entry is exploded
-- (release). An entry no longer there as one (exploded earlier, or gone) leaves its ids to the
-- per-record path.
local function byEntry(q, p, n, ids, some)
  local single, groups, order = {}, {}, {}
  local function group(e, k)
    local g = groups[e]
    if not g then
      g = { k = k, seen = {}, count = 0, ids = {} }
      groups[e] = g
      order[#order + 1] = e
    end
    return g
  end
  for _, id in ipairs(ids) do
    local k = packedOf(id)
    if k then
      local g = group(id, k)
      g.all = true
    else
      local e, k2, i = entryOf(id)
      if e then
        local g = group(e, k2)
        if not g.seen[i] then
          g.seen[i] = true
          g.count = g.count + 1
          g.ids[#g.ids + 1] = id
        end
      elseif id ~= '#' then -- the payload hash's counter field is nobody's record
        single[#single + 1] = id
      end
    end
  end
  local whole = {}
  for _, e in ipairs(order) do
    local g = groups[e]
    local all = g.all or g.count == g.k
    local there = redis.call('HEXISTS', p, e) == 1
    if there and all then
      whole[#whole + 1] = e
      whole[#whole + 1] = g.k
    elseif there and some then
      some(q, p, n, e, g.k, g.ids)
    else
      if there then explode(q, p, n, e, g.k) end
      if g.all then
        for i = 0, g.k - 1 do single[#single + 1] = e .. ':' .. i end
      else
        for _, id in ipairs(g.ids) do single[#single + 1] = id end
      end
    end
  end
  return single, whole
end
`;

export const LEASE_LUA = `${COMMON_LUA}${PACKED_LUA}
local t = now()
local limit = tonumber(ARGV[1])
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', t, 'LIMIT', 0, limit)
local leaseEnd = t + tonumber(ARGV[2])
local out, gone, taken = { t }, {}, 0
-- one member (a record, or an entry whose records all fit): re-scored, lease counted
local function take(id, k)
  local payload
  if k then
    local at = redis.call('HGET', KEYS[2], id)
    if at then
      payload = piecesOf(KEYS[2], id, k)
      table.insert(payload, 1, at)
    end
  else
    payload = redis.call('HGET', KEYS[2], id)
  end
  if not payload then
    gone[#gone + 1] = id -- no payload: nothing to deliver (never written whole, or expired)
    return
  end
  redis.call('ZADD', KEYS[1], leaseEnd, id)
  local n = tonumber(redis.call('HGET', KEYS[3], id) or '1')
  redis.call('HSET', KEYS[3], id, n + 1)
  out[#out + 1] = id
  out[#out + 1] = n
  out[#out + 1] = payload
  taken = taken + (k or 1)
end
for _, id in ipairs(members) do
  if taken >= limit then break end
  local k = packedOf(id)
  if k and taken + k > limit then
    -- only some of its records fit: it becomes k members, the first of which are taken
    if explode(KEYS[1], KEYS[2], KEYS[3], id, k) then
      for i = 0, limit - taken - 1 do take(id .. ':' .. i) end
    else
      gone[#gone + 1] = id
    end
  else
    take(id, k)
  end
end
if #gone > 0 then callChunked('ZREM', KEYS[1], gone) end
if #members > 0 then
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[3]) end
end
return out
`;

export const ACK_LUA = `${COMMON_LUA}${PACKED_LUA}
local ids = {}
for k = 1, #ARGV do ids[k] = ARGV[k] end
local removed = 0
local function some(q, p, n, e, k, of) removed = removed + ackSome(q, p, n, e, k, of) end
local single, whole = byEntry(KEYS[1], KEYS[2], KEYS[3], ids, some)
for w = 1, #whole, 2 do
  local e, k = whole[w], whole[w + 1]
  local left = leftOf(KEYS[2], e, k)
  removed = removed + dropEntry(KEYS[1], KEYS[2], KEYS[3], e, k, left) * left
end
if #single > 0 then
  local before = redis.call('ZCARD', KEYS[1])
  callChunked('ZREM', KEYS[1], single)
  callChunked('HDEL', KEYS[2], single)
  callChunked('HDEL', KEYS[3], single)
  removed = removed + before - redis.call('ZCARD', KEYS[1])
end
return removed
`;

export const RELEASE_LUA = `${COMMON_LUA}${PACKED_LUA}
local ids = {}
for k = 1, #ARGV do ids[k] = ARGV[k] end
local single, whole = byEntry(KEYS[1], KEYS[2], KEYS[3], ids)
local pairs0 = {}
for w = 1, #whole, 2 do
  pairs0[#pairs0 + 1] = 0
  pairs0[#pairs0 + 1] = whole[w]
end
for _, id in ipairs(single) do
  pairs0[#pairs0 + 1] = 0
  pairs0[#pairs0 + 1] = id
end
callChunked('ZADD', KEYS[1], pairs0, 'XX')
return #ARGV
`;

export const DEAD_LETTER_LUA = `${COMMON_LUA}${PACKED_LUA}
local t = now()
local max = tonumber(ARGV[2])
local moved = 0
for k = 4, #ARGV, 2 do
  local id = ARGV[k]
  local e, n = entryOf(id)
  if e then explode(KEYS[1], KEYS[2], KEYS[3], e, n) end
  local payload = id ~= '#' and not packedOf(id) and redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZADD', KEYS[4], t, id)
    redis.call('HSET', KEYS[5], id, payload)
    redis.call('HSET', KEYS[6], id, ARGV[k + 1])
    moved = moved + 1
  end
end
if moved > 0 then
  local excess = redis.call('ZCARD', KEYS[4]) - max
  if excess > 0 then
    local old = redis.call('ZRANGE', KEYS[4], 0, excess - 1)
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, excess - 1)
    callChunked('HDEL', KEYS[5], old)
    callChunked('HDEL', KEYS[6], old)
  end
  for k = 4, 6 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
  redis.call('SADD', KEYS[7], ARGV[3])
end
return moved
`;

export const DEAD_LIST_LUA = `
local limit = tonumber(ARGV[1])
local ids = redis.call('ZRANGE', KEYS[1], 0, limit < 0 and -1 or limit - 1, 'WITHSCORES')
local out = {}
for k = 1, #ids, 2 do
  local payload = redis.call('HGET', KEYS[2], ids[k])
  if payload then
    out[#out + 1] = ids[k]
    out[#out + 1] = ids[k + 1]
    out[#out + 1] = payload
    out[#out + 1] = redis.call('HGET', KEYS[3], ids[k]) or '{}'
  end
end
return out
`;

export const REPLAY_LUA = `${COMMON_LUA}
local ids
if #ARGV > 3 then
  ids = {}
  for k = 4, #ARGV do ids[#ids + 1] = ARGV[k] end
else
  ids = redis.call('ZRANGE', KEYS[4], 0, tonumber(ARGV[3]) - 1)
end
local moved = 0
for _, id in ipairs(ids) do
  local payload = redis.call('HGET', KEYS[5], id)
  if payload then
    redis.call('HSET', KEYS[2], id, payload)
    redis.call('ZADD', KEYS[1], 0, id)
    redis.call('HSET', KEYS[3], id, 0)
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[4], id)
  redis.call('HDEL', KEYS[5], id)
  redis.call('HDEL', KEYS[6], id)
end
if moved > 0 then
  for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ARGV[1]) end
  redis.call('SADD', KEYS[7], ARGV[2])
end
return { moved, #ids }
`;

export const STATS_LUA = `
local out = {}
for c = 1, #ARGV do
  local pending = redis.call('ZCARD', KEYS[3 * c - 1]) + (tonumber(redis.call('HGET', KEYS[3 * c], '#')) or 0)
  local dead = redis.call('ZCARD', KEYS[3 * c + 1])
  if pending == 0 and dead == 0 then redis.call('SREM', KEYS[1], ARGV[c]) end
  out[#out + 1] = pending
  out[#out + 1] = dead
end
return out
`;
