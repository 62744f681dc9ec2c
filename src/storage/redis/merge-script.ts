/**
 * The merge as one Lua script: a field-by-field port of `merge()` in src/tracking/merge.ts (see
 * its rules there), run atomically by Redis so concurrent merges of one key from any number of
 * processes serialize.
 *
 * KEYS: 1 state, 2 message index, 3..6 stale sorted sets of ranks 1..4 (only when the stale index
 * is on). ARGV: 1 observation JSON, 2 ttl ms, 3 index member, 4 '1' when the stale index is on.
 * Returns `{ beforeJson | '', changed '1' | '0', afterJson | '' }`: after is '' when unchanged
 * (the caller reuses before) or when the state is new (the caller reuses the observation).
 *
 * Two deliberate differences from a naive port:
 * - Strings compare byte by byte (`lt`), never with Lua's `<`: Lua's `<` calls strcoll(), and
 *   Redis sets LC_COLLATE from its environment, so `<` may not even be byte order. Byte order of
 *   UTF-8 is code-point order, which equals JS's UTF-16 code-unit order except between astral
 *   characters and U+E000–U+FFFF (documented in docs/redis.md).
 * - cjson decodes JSON null to `cjson.null` and encodes an empty array as `{}`: `nn()` maps null
 *   to nil, and the JS side restores `[]` for the two array fields (see codec.ts).
 */
export const MERGE_LUA = `
local NULL = cjson.null
local MAX_ERRORS, MAX_ANNOTATIONS, MAX_TAGS = 16, 8, 32

local function nn(v) if v == NULL then return nil end return v end

local function lt(a, b)
  if a == b then return false end
  local la, lb = #a, #b
  local n = la < lb and la or lb
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return la < lb
end

-- absent < present, false < true, strings in byte order
local function cmp(a, b)
  a, b = nn(a), nn(b)
  if a == b then return 0 end
  if a == nil then return -1 end
  if b == nil then return 1 end
  if type(a) == 'boolean' then return (b and -1) or 1 end
  return lt(a, b) and -1 or 1
end

local function minTs(x, y)
  if x == 0 then return y end
  if y == 0 then return x end
  return x < y and x or y
end

-- greater of two optional strings; JSON null and absent are both below any string
local function maxStr(x, y)
  if x == y or y == nil or y == NULL then return x end
  if x == nil or x == NULL then return y end
  return lt(y, x) and x or y
end

-- sorted union keeping the limit smallest; returns (value, changed)
local function union(a, b, limit)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then
    if #b <= limit then return b, true end
    local out = {}
    for i = 1, limit do out[i] = b[i] end
    return out, true
  end
  local out, i, j, n, la, lb = {}, 1, 1, 0, #a, #b
  while n < limit and (i <= la or j <= lb) do
    local x, y = a[i], b[j]
    n = n + 1
    if y == nil or (x ~= nil and lt(x, y)) then out[n] = x; i = i + 1
    elseif x == nil or lt(y, x) then out[n] = y; j = j + 1
    else out[n] = x; i = i + 1; j = j + 1 end
  end
  if n == la then
    local same = true
    for k = 1, n do if out[k] ~= a[k] then same = false; break end end
    if same then return a, false end
  end
  return out, true
end

local function compareErrors(a, b)
  local c = cmp(a.title, b.title)
  if c == 0 then c = cmp(a.message, b.message) end
  if c == 0 then c = cmp(a.details, b.details) end
  if c == 0 then c = cmp(a.href, b.href) end
  if c == 0 then c = cmp(a.class, b.class) end
  return c
end

local function mergeErrors(a, b)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then return b, true end
  local all, changed = {}, false
  for k, v in pairs(a) do all[k] = v end
  for code, e in pairs(b) do
    local prev = all[code]
    if prev == nil or compareErrors(e, prev) > 0 then all[code] = e; changed = true end
  end
  if not changed then return a, false end
  local codes = {}
  for k in pairs(all) do codes[#codes + 1] = k end
  if #codes <= MAX_ERRORS then return all, true end
  table.sort(codes, lt)
  local out = {}
  for i = 1, MAX_ERRORS do out[codes[i]] = all[codes[i]] end
  -- the new codes may all have fallen past the bound: then nothing changed after all
  local na, same = 0, true
  for k, v in pairs(a) do
    na = na + 1
    if out[k] ~= v then same = false end
  end
  if na == MAX_ERRORS and same then return a, false end
  return out, true
end

local function present(x) if x == nil or x == NULL then return nil end return '' end

local function compareBilling(pa, ca, pb, cb)
  local p = nn(pa) or {}
  local q = nn(pb) or {}
  local c = nn(ca) or {}
  local d = nn(cb) or {}
  local r = cmp(present(pa), present(pb))
  if r == 0 then r = cmp(p.billable, q.billable) end
  if r == 0 then r = cmp(p.model, q.model) end
  if r == 0 then r = cmp(p.category, q.category) end
  if r == 0 then r = cmp(p.type, q.type) end
  if r == 0 then r = cmp(present(ca), present(cb)) end
  if r == 0 then r = cmp(c.id, d.id) end
  if r == 0 then r = cmp(c.origin, d.origin) end
  if r == 0 then r = cmp(c.expiresAt, d.expiresAt) end
  return r
end

local function mergeMeta(a, b)
  if b == nil or b == NULL then return a, false end
  if a == nil or a == NULL then return b, true end
  local campaign = maxStr(a.campaign, b.campaign)
  local wasender = maxStr(a.wasenderMsgId, b.wasenderMsgId)
  local tags, tagsChanged = union(nn(a.tags), nn(b.tags), MAX_TAGS)
  if campaign == a.campaign and wasender == a.wasenderMsgId and not tagsChanged then return a, false end
  return { campaign = campaign, tags = tags, wasenderMsgId = wasender }, true
end

local function staleRank(s)
  if s == nil then return 0 end
  local r = s.rank
  if r < 1 or r > 4 or s.failedAt ~= 0 or nn(s.errors) ~= nil then return 0 end
  return r
end

local AT = { 'pendingAt', 'sentAt', 'deliveredAt', 'readAt', 'playedAt' }

local function index(before, after, changed)
  redis.call('SADD', KEYS[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  if ARGV[4] ~= '1' then return end
  local r0, r1 = staleRank(before), staleRank(after)
  if r0 ~= 0 and r0 ~= r1 then redis.call('ZREM', KEYS[2 + r0], KEYS[1]) end
  if r1 ~= 0 then
    if changed then redis.call('ZADD', KEYS[2 + r1], after[AT[r1]], KEYS[1]) end
    redis.call('PEXPIRE', KEYS[2 + r1], ARGV[2])
  end
end

local b = cjson.decode(ARGV[1])
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  index(nil, b, true)
  return { '', '1', '' }
end
local a = cjson.decode(raw)

local changed = false
local function set(field, value)
  if a[field] ~= value then a[field] = value; changed = true end
end
local before = { rank = a.rank, failedAt = a.failedAt, errors = a.errors,
  pendingAt = a.pendingAt, sentAt = a.sentAt, deliveredAt = a.deliveredAt, readAt = a.readAt }

if b.billingRank > a.billingRank or (b.billingRank == a.billingRank and b.billingRank >= 0
    and compareBilling(b.pricing, b.conversation, a.pricing, a.conversation) > 0) then
  a.billingRank, a.pricing, a.conversation = b.billingRank, b.pricing, b.conversation
  changed = true
end
set('accountId', maxStr(a.accountId, b.accountId))
set('recipientId', maxStr(a.recipientId, b.recipientId))
set('participantId', maxStr(a.participantId, b.participantId))
if b.rank > a.rank then set('rank', b.rank) end
for _, f in ipairs({ 'pendingAt', 'sentAt', 'deliveredAt', 'readAt', 'playedAt', 'failedAt', 'deletedAt', 'warningAt' }) do
  set(f, minTs(a[f], b[f]))
end
local v, c = mergeErrors(a.errors, b.errors)
if c then a.errors = v; changed = true end
set('bizOpaqueCallbackData', maxStr(a.bizOpaqueCallbackData, b.bizOpaqueCallbackData))
v, c = union(a.annotations, b.annotations, MAX_ANNOTATIONS)
if c then a.annotations = v; changed = true end
if b.tracked == true then set('tracked', true) end
v, c = mergeMeta(a.meta, b.meta)
if c then a.meta = v; changed = true end

if not changed then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  index(before, a, false)
  return { raw, '0', '' }
end
local out = cjson.encode(a)
redis.call('SET', KEYS[1], out, 'PX', ARGV[2])
index(before, a, true)
return { raw, '1', out }
`;
