import { createHash } from 'node:crypto';

/**
 * One server-side Lua script: its source and the SHA-1 that `EVALSHA` names it by. Scripts
 * are sent with `EVALSHA` and fall back to `EVAL` (which also caches them) after a
 * `NOSCRIPT` reply, e.g. once a restarted server has forgotten them.
 */
export interface LuaScript {
  /** What the script is for, in error messages. */
  readonly name: string;
  readonly source: string;
  /** Lowercase hex SHA-1 of {@link source}. */
  readonly sha: string;
}

function script(name: string, prelude: string, body: string): LuaScript {
  const source = `${prelude}\n${body}`;
  return Object.freeze({ name, source, sha: createHash('sha1').update(source).digest('hex') });
}

// Layout of one mount (SPACE is the mount's key space: its prefix, or `{prefix}` with a
// hash tag). Every key the mount owns starts with SPACE:
//   SPACE .. key          STRING  the value JSON, verbatim, with a native PXAT expiry
//   SPACE \xff "keys"     ZSET    every indexed key, score 0, so ZRANGEBYLEX selects a prefix
//   SPACE \xff "expiry"   ZSET    indexed keys that expire, scored by expiresAt (ms, exact)
//   SPACE \xff "sizes"    HASH    key -> bytes it counts (UTF-8 key + value JSON);
//                                 field "" = their total, field \xff"swept" = last sweep
// Byte 0xFF never occurs in UTF-8 and keys are valid Unicode, so no key can name an index
// key or a bookkeeping field.
//
// A key is live when it is indexed, its STRING exists and it has not expired: expiresAt <=
// NOW means expired, NOW being the caller's clock (the extension's `now`), so every backend
// expires by the same clock. Redis also drops the STRING natively at ceil(expiresAt) by
// its own clock. Reads return only live keys.
//
// The counts ("keys" cardinality, the "" total) cover every indexed key, so an expired key
// counts until it is dropped: writes that add a key drop a few of the oldest expired ones,
// and before any write is refused for a limit, every expired key (by the later of both
// clocks) is dropped, and at most once a minute every key whose STRING vanished behind the
// index (deleted or evicted by someone else) is forgotten. A refusal is therefore decided on
// live keys only, as core's checkKvLimits demands, without scanning on every write (a
// vanished STRING may still count for up to a minute).
//
// Every script gets SPACE as KEYS[1] (declared for routing; with a hash tag it shares the
// mount's slot) and derives the index names from it, so the client need not send binary
// key names (sending a Buffer costs ioredis measurably more per command); the data keys it
// touches follow in KEYS where the caller knows them. Write scripts get NOW as ARGV[1].
// Scripts that walk the index (list, clear, the purges) reach data keys they were not
// given; they share the mount's slot with a hash tag, which Redis Cluster accepts.
const WRITE_PRELUDE = String.raw`
local SPACE = KEYS[1]
local IDX, EXP, SIZES = SPACE .. '\255keys', SPACE .. '\255expiry', SPACE .. '\255sizes'
local NOW = tonumber(ARGV[1])

local function score_text(n) return string.format('%.17g', n) end

local function expired(score) return score and tonumber(score) <= NOW end

-- One command over many items, in slices (Lua's unpack has a stack limit of a few thousand
-- values; the slice is even, so pairs stay together). Returns the replies concatenated.
local function batched(command, key, items)
  local out = {}
  for first = 1, #items, 1000 do
    local last = math.min(first + 999, #items)
    local part
    if key then
      part = redis.call(command, key, unpack(items, first, last))
    else
      part = redis.call(command, unpack(items, first, last))
    end
    if type(part) == 'table' then
      for i = 1, #part do out[#out + 1] = part[i] end
    end
  end
  return out
end

local function tidy()
  if redis.call('ZCARD', IDX) == 0 then redis.call('DEL', IDX, EXP, SIZES) end
end

-- Take indexed keys out of the index and the counts; their STRINGs are the caller's.
local function forget(members)
  if #members == 0 then return end
  local total = 0
  for _, size in ipairs(batched('HMGET', SIZES, members)) do total = total + (tonumber(size) or 0) end
  batched('ZREM', IDX, members)
  batched('ZREM', EXP, members)
  batched('HDEL', SIZES, members)
  redis.call('HINCRBY', SIZES, '', -total)
end

-- Drop indexed keys with their STRINGs; returns how many of them were live.
local function drop(members)
  if #members == 0 then return 0 end
  local scores = batched('ZMSCORE', EXP, members)
  local live = 0
  for i, member in ipairs(members) do
    if redis.call('DEL', SPACE .. member) == 1 and not expired(scores[i]) then live = live + 1 end
  end
  forget(members)
  return live
end

-- Drop keys expired at 'limit', the earliest first; all of them when count is nil.
local function purge(limit, count)
  local doomed
  if count then
    doomed = redis.call('ZRANGEBYSCORE', EXP, '-inf', score_text(limit), 'LIMIT', 0, count)
  else
    doomed = redis.call('ZRANGEBYSCORE', EXP, '-inf', score_text(limit))
  end
  drop(doomed)
end

-- Make the counts cover live keys only (see the layout notes).
local function clean()
  local t = redis.call('TIME')
  local server_now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
  purge(math.max(NOW, server_now))
  local swept = tonumber(redis.call('HGET', SIZES, '\255swept'))
  if swept and swept > server_now - 60000 then return end
  local members, vanished = redis.call('ZRANGE', IDX, 0, -1), {}
  for _, member in ipairs(members) do
    if redis.call('EXISTS', SPACE .. member) == 0 then vanished[#vanished + 1] = member end
  end
  forget(vanished)
  if #members > #vanished then redis.call('HSET', SIZES, '\255swept', score_text(server_now)) end
end

-- How the writes change the counts. Each write is {member, value, expires, pxat}; expires
-- and pxat are '' for none. A record already expired is written as the key's removal.
local function plan(writes)
  local members = {}
  for i, w in ipairs(writes) do members[i] = w.member end
  local olds = batched('HMGET', SIZES, members)
  local d_entries, d_size, fresh = 0, 0, false
  for i, w in ipairs(writes) do
    w.old = tonumber(olds[i])
    w.lives = w.expires == '' or tonumber(w.expires) > NOW
    w.size = w.lives and (#w.member + #w.value) or 0
    d_entries = d_entries + (w.lives and 1 or 0) - (w.old and 1 or 0)
    d_size = d_size + w.size - (w.old or 0)
    if w.lives and not w.old then fresh = true end
  end
  return d_entries, d_size, fresh
end

-- core's checkKvLimits, inside the script so it is atomic with the write: a change that
-- does not grow a dimension never fails on it. A refusal carries the stats and the change
-- back, so that the caller raises the coded error with checkKvLimits itself.
local function over(d_entries, d_size, max_entries, max_size)
  if d_entries <= 0 and d_size <= 0 then return false end
  local entries = redis.call('ZCARD', IDX)
  local size = tonumber(redis.call('HGET', SIZES, '')) or 0
  if (d_entries > 0 and entries + d_entries > max_entries)
    or (d_size > 0 and size + d_size > max_size) then
    return {0, entries, size, d_entries, d_size}
  end
  return false
end

-- Apply the writes, all or none: returns a refusal (nothing written) or false. Commands are
-- grouped (one MSET, one ZADD, one HSET, ...) so that a batch costs a few calls, not a few
-- per key.
local function store(writes, max_entries, max_size)
  local d_entries, d_size, fresh = plan(writes)
  if over(d_entries, d_size, max_entries, max_size) then
    clean()
    d_entries, d_size, fresh = plan(writes)
    local refusal = over(d_entries, d_size, max_entries, max_size)
    if refusal then return refusal end
  end
  local plain, expiring, unexpiring, added, sizes, removed = {}, {}, {}, {}, {}, {}
  local total = 0
  for _, w in ipairs(writes) do
    if w.lives then
      if w.pxat == '' then
        plain[#plain + 1] = SPACE .. w.member
        plain[#plain + 1] = w.value
      else
        redis.call('SET', SPACE .. w.member, w.value, 'PXAT', w.pxat)
      end
      if w.expires ~= '' then
        expiring[#expiring + 1] = w.expires
        expiring[#expiring + 1] = w.member
      elseif w.old then
        unexpiring[#unexpiring + 1] = w.member
      end
      if not w.old then
        added[#added + 1] = 0
        added[#added + 1] = w.member
      end
      if w.size ~= w.old then
        sizes[#sizes + 1] = w.member
        sizes[#sizes + 1] = w.size
        total = total + w.size - (w.old or 0)
      end
    elseif w.old then
      removed[#removed + 1] = w.member
    end
  end
  drop(removed)
  if #plain > 0 then batched('MSET', nil, plain) end
  if #expiring > 0 then batched('ZADD', EXP, expiring) end
  if #unexpiring > 0 and redis.call('EXISTS', EXP) == 1 then batched('ZREM', EXP, unexpiring) end
  if #added > 0 then batched('ZADD', IDX, added) end
  if #sizes > 0 then
    batched('HSET', SIZES, sizes)
    redis.call('HINCRBY', SIZES, '', total)
  end
  if fresh then purge(NOW, 16) end
  if #removed > 0 then tidy() end
  return false
end

local function prefix_range(prefix)
  if prefix == '' then return redis.call('ZRANGEBYLEX', IDX, '-', '+') end
  return redis.call('ZRANGEBYLEX', IDX, '[' .. prefix, '(' .. prefix .. '\255')
end
`;

// Read scripts only need to fetch in slices: Lua's unpack has a stack limit of a few
// thousand values.
const READ_PRELUDE = String.raw`
local function sliced(command, key, items, prefix)
  local out, n = {}, #items
  for first = 1, n, 1000 do
    local args = {}
    for i = first, math.min(first + 999, n) do args[#args + 1] = (prefix or '') .. items[i] end
    local part
    if key then part = redis.call(command, key, unpack(args)) else part = redis.call(command, unpack(args)) end
    for i = 1, #args do out[#out + 1] = part[i] end
  end
  return out
end
`;

/**
 * Read one record. KEYS: SPACE, the data key; ARGV[1] = key. Returns false (no STRING) or
 * one string: the expiresAt score ('' for none), a space, then the value (one bulk reply
 * is measurably cheaper for the client to parse than an array). The caller drops expired
 * records.
 */
export const GET_SCRIPT = script(
  'get',
  '',
  String.raw`
local value = redis.call('GET', KEYS[2])
if not value then return false end
return (redis.call('ZSCORE', KEYS[1] .. '\255expiry', ARGV[1]) or '') .. ' ' .. value
`,
);

/**
 * Every indexed record under a prefix whose STRING exists, as one snapshot. KEYS: SPACE;
 * ARGV[1] = prefix. Returns {key, value, score or false} triples, flattened, in byte
 * order; the caller drops expired records.
 */
export const LIST_SCRIPT = script(
  'list',
  READ_PRELUDE,
  String.raw`
local space, prefix = KEYS[1], ARGV[1]
local members
if prefix == '' then
  members = redis.call('ZRANGEBYLEX', space .. '\255keys', '-', '+')
else
  members = redis.call('ZRANGEBYLEX', space .. '\255keys', '[' .. prefix, '(' .. prefix .. '\255')
end
local values = sliced('MGET', nil, members, space)
local scores = sliced('ZMSCORE', space .. '\255expiry', members)
local out = {}
for i = 1, #members do
  if values[i] then
    out[#out + 1] = members[i]
    out[#out + 1] = values[i]
    out[#out + 1] = scores[i]
  end
end
return out
`,
);

/**
 * Store one record. KEYS: SPACE, the data key. ARGV: NOW, key, value, expires, pxat,
 * maxEntries, maxStoreSize. Returns 1, or a refusal {0, entries, size, dEntries, dSize}.
 */
export const SET_SCRIPT = script(
  'set',
  WRITE_PRELUDE,
  String.raw`
local refusal = store({{member = ARGV[2], value = ARGV[3], expires = ARGV[4], pxat = ARGV[5]}},
  tonumber(ARGV[6]), tonumber(ARGV[7]))
if refusal then return refusal end
return 1
`,
);

/**
 * Store several records, all or nothing. KEYS: SPACE, then one data key per record. ARGV:
 * NOW, maxEntries, maxStoreSize, then key, value, expires, pxat per record (keys
 * distinct). Returns 1 or a refusal.
 */
export const SET_MANY_SCRIPT = script(
  'setMany',
  WRITE_PRELUDE,
  String.raw`
local writes = {}
for i = 4, #ARGV, 4 do
  writes[#writes + 1] = {member = ARGV[i], value = ARGV[i + 1], expires = ARGV[i + 2], pxat = ARGV[i + 3]}
end
local refusal = store(writes, tonumber(ARGV[2]), tonumber(ARGV[3]))
if refusal then return refusal end
return 1
`,
);

/**
 * The commit step of an optimistic update: apply the decision only if the key is still
 * exactly what the decision was computed from. KEYS: SPACE, the data key. ARGV: NOW, key,
 * expected ('0' absent / '1' present), expected value, expected expires ('' none), action
 * ('write' / 'delete'), value, expires, pxat, maxEntries, maxStoreSize. Returns 1
 * applied, 2 conflict (the caller reads again), or a refusal.
 */
export const COMMIT_SCRIPT = script(
  'update',
  WRITE_PRELUDE,
  String.raw`
local member = ARGV[2]
local old = tonumber(redis.call('HGET', SIZES, member))
local live, score = false, false
if old then
  live = redis.call('GET', SPACE .. member)
  score = redis.call('ZSCORE', EXP, member)
  if expired(score) then live = false end
end
if ARGV[3] == '0' then
  if live then return 2 end
else
  if not live or live ~= ARGV[4] then return 2 end
  if ARGV[5] == '' then
    if score then return 2 end
  elseif not score or tonumber(score) ~= tonumber(ARGV[5]) then
    return 2
  end
end
if ARGV[6] == 'delete' then
  if old then
    drop({member})
    tidy()
  end
  return 1
end
local refusal = store({{member = member, value = ARGV[7], expires = ARGV[8], pxat = ARGV[9]}},
  tonumber(ARGV[10]), tonumber(ARGV[11]))
if refusal then return refusal end
return 1
`,
);

/**
 * Remove keys. KEYS: SPACE, then one data key per key. ARGV: NOW, then the keys (distinct).
 * Returns how many live keys were removed.
 */
export const DELETE_SCRIPT = script(
  'delete',
  WRITE_PRELUDE,
  String.raw`
local members = {}
for i = 2, #ARGV do members[#members + 1] = ARGV[i] end
local indexed = {}
for i, size in ipairs(batched('HMGET', SIZES, members)) do
  if size then indexed[#indexed + 1] = members[i] end
end
local removed = drop(indexed)
tidy()
return removed
`,
);

/**
 * Remove every indexed key under a prefix. KEYS: SPACE. ARGV: NOW, prefix. Returns how many
 * of them were live (what list showed).
 */
export const CLEAR_SCRIPT = script(
  'clear',
  WRITE_PRELUDE,
  String.raw`
local removed = drop(prefix_range(ARGV[2]))
tidy()
return removed
`,
);
