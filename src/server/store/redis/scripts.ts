// The Lua that makes each session decision one atomic step in Redis, whatever the number of
// instances: the caps are counted and the write done with no other command in between.
//
// Keys, under the prefix P (a hash tag such as "{opcli}:", so that in a cluster they share one
// slot and a script may touch them all):
//   P s:<sid>      the session, JSON                    (TTL: its own expiry + the sweep grace)
//   P c:<hash>     sid by cookie hash; P h:<handle> sid by admin handle (same TTL)
//   P exp          every session's sid by expiresAt     (search's candidates, the sweeper)
//   P cr           every session's sid by createdAt     (the unfiltered list in creation order)
//   P u:<dn>       a user's sessions by expiresAt; P ua:<dn> the authenticated ones (the cap)
//   P cl:<client>  sessions by client_id attribute by expiresAt
//   P anon, P anon:<ip>  unauthenticated sessions by expiresAt (the unauthenticated caps)
//   P rv:sid:<sid> a revocation mark for an ended session's tokens (TTL: until revokeUntil)
// A member whose score is at or before now is never counted: expired entries need no cleanup
// to keep the caps exact, and each write trims its user's set of long-expired ones.

const COMMON = `
local P = ARGV[1]
local function str(v) if v == nil or v == cjson.null then return nil end return tostring(v) end
local function sets(rec)
  local out = { P .. 'exp' }
  local dn = str(rec.userDn)
  if dn then
    table.insert(out, P .. 'u:' .. dn)
    if rec.state == 'authenticated' then table.insert(out, P .. 'ua:' .. dn) end
  end
  local cid = str(rec.attributes.client_id)
  if cid then table.insert(out, P .. 'cl:' .. cid) end
  if rec.state ~= 'authenticated' then
    table.insert(out, P .. 'anon')
    table.insert(out, P .. 'anon:' .. (str(rec.attributes.remote_ip) or ''))
  end
  return out
end
local function unindex(sid, rec)
  redis.call('DEL', P .. 's:' .. sid, P .. 'c:' .. rec.cookieHash, P .. 'h:' .. rec.handle)
  for _, k in ipairs(sets(rec)) do redis.call('ZREM', k, sid) end
  redis.call('ZREM', P .. 'cr', sid)
end
local function index(sid, rec, json, ttl)
  redis.call('SET', P .. 's:' .. sid, json, 'PX', ttl)
  redis.call('SET', P .. 'c:' .. rec.cookieHash, sid, 'PX', ttl)
  redis.call('SET', P .. 'h:' .. rec.handle, sid, 'PX', ttl)
  for _, k in ipairs(sets(rec)) do redis.call('ZADD', k, rec.expiresAt, sid) end
  redis.call('ZADD', P .. 'cr', rec.createdAt, sid)
end
local function live(key, now, except)
  local n = redis.call('ZCOUNT', key, '(' .. now, '+inf')
  if except and except ~= '' then
    local sc = redis.call('ZSCORE', key, except)
    if sc and tonumber(sc) > tonumber(now) then n = n - 1 end
  end
  return n
end
-- The caps, as the SQL stores decide them; except: a session this write replaces.
local function admit(rec, now, max, perAddr, total, except)
  if rec.state == 'authenticated' then
    local dn = str(rec.userDn)
    if max > 0 and dn and live(P .. 'ua:' .. dn, now, except) >= max then return 'limit' end
    return 'ok'
  end
  local ip = str(rec.attributes.remote_ip) or ''
  if perAddr > 0 and live(P .. 'anon:' .. ip, now, except) >= perAddr then return 'busy' end
  if total > 0 and live(P .. 'anon', now, except) >= total then return 'busy' end
  return 'ok'
end
local function revoke(sid, ttl)
  if tonumber(ttl) > 0 then redis.call('SET', P .. 'rv:sid:' .. sid, '1', 'PX', ttl) end
end
`;

/**
 * Writes a session under the caps. ARGV: P, sid, json, ttl, now, max, perAddr, total, mode,
 * arg, revokeTtl. mode "insert"; "rotate" (arg: the old sid, deleted first and revoked);
 * "cas" (arg: the JSON the caller read: refused as "conflict" if it changed, "gone" if absent).
 * Returns {result, old JSON or ""}.
 */
export const WRITE = `${COMMON}
local sid, json, ttl, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local max, perAddr, total = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local mode, arg, revokeTtl = ARGV[9], ARGV[10], ARGV[11]
local rec = cjson.decode(json)
local oldSid, oldJson = '', ''
if mode == 'cas' then
  oldJson = redis.call('GET', P .. 's:' .. sid)
  if not oldJson then return { 'gone', '' } end
  if oldJson ~= arg then return { 'conflict', '' } end
  oldSid = sid
elseif mode == 'rotate' and arg ~= '' then
  oldJson = redis.call('GET', P .. 's:' .. arg) or ''
  if oldJson ~= '' then oldSid = arg end
end
local verdict = admit(rec, now, max, perAddr, total, oldSid)
if verdict ~= 'ok' then return { verdict, '' } end
if oldJson ~= '' then
  unindex(oldSid, cjson.decode(oldJson))
  if mode == 'rotate' then revoke(oldSid, revokeTtl) end
end
index(sid, rec, json, ttl)
if str(rec.userDn) then
  redis.call('ZREMRANGEBYSCORE', P .. 'u:' .. rec.userDn, '-inf', '(' .. (tonumber(now) - 86400000))
end
return { 'ok', oldJson }
`;

/** Reads a session through an index key (cookie or handle). ARGV: P, key suffix. */
export const BY_INDEX = `
local P = ARGV[1]
local sid = redis.call('GET', P .. ARGV[2])
if not sid then return false end
return redis.call('GET', P .. 's:' .. sid)
`;

/**
 * Ends live sessions and marks each revoked, in one step, if they are exactly those the caller
 * read (whose events and deliveries it has already prepared). ARGV: P, now, mode ("sid" |
 * "user"), sid or user DN, keepSid, revokeTtl, then the JSON of each session read. Returns 1, or
 * 0 when the live set changed meanwhile (read again).
 */
export const END = `${COMMON}
local now, mode, who, keep, revokeTtl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local sids = {}
if mode == 'sid' then sids = { who } else
  sids = redis.call('ZRANGEBYSCORE', P .. 'u:' .. who, '(' .. now, '+inf')
end
local ending = {}
for _, sid in ipairs(sids) do
  if sid ~= keep then
    local json = redis.call('GET', P .. 's:' .. sid)
    if json and tonumber(cjson.decode(json).expiresAt) > tonumber(now) then
      table.insert(ending, { sid, json })
    end
  end
end
if #ending ~= #ARGV - 6 then return 0 end
for i, e in ipairs(ending) do
  if e[2] ~= ARGV[6 + i] then return 0 end
end
for _, e in ipairs(ending) do
  unindex(e[1], cjson.decode(e[2]))
  revoke(e[1], revokeTtl)
end
return 1
`;

/** Removes up to a batch of expired sessions. ARGV: P, now, batch. Returns their JSON. */
export const SWEEP = `${COMMON}
local now, batch = ARGV[2], tonumber(ARGV[3])
local sids = redis.call('ZRANGEBYSCORE', P .. 'exp', '-inf', now, 'LIMIT', 0, batch)
local out = {}
for _, sid in ipairs(sids) do
  local json = redis.call('GET', P .. 's:' .. sid)
  if json then
    local rec = cjson.decode(json)
    if tonumber(rec.expiresAt) <= tonumber(now) then
      unindex(sid, rec)
      table.insert(out, json)
    end
  else
    -- Its key outlived the sweep grace and went by TTL: only the index entry is left.
    redis.call('ZREM', P .. 'exp', sid)
  end
end
return out
`;
