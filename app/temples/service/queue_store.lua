-- Redis scripts of the release queue (app/temples/service/queue_store.py); each runs atomically.
-- Release keys: KEYS[1] meta hash (state, limit, rate, seats_left), [2] arrival counter, [3] waiting zset
-- (ticket -> arrival number), [4] inflight zset, [5] people hash (person -> ticket), [6] counts hash
-- (person -> bookings got through the queue), [7] full slots set.

-- @script open
-- Open the release's queue unless it already has a state (opening twice, or after the end, changes nothing).
redis.call('HSETNX', KEYS[1], 'state', 'open')
redis.call('HSET', KEYS[1], 'limit', ARGV[1])
return 1

-- @script enqueue
-- Give a person a place at the back of the queue: refused when the queue is not open, the slot is known to be
-- full, the person (any of their keys) already holds a place, or (check_limit) has reached the release's limit.
-- KEYS[8] ticket hash. ARGV: ticket id, slot id, check_limit, ttl, n people, people..., ticket fields (k, v)...
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing'} end
if state ~= 'open' then return {state} end
if redis.call('SISMEMBER', KEYS[7], ARGV[2]) == 1 then return {'slot_full'} end
local npeople = tonumber(ARGV[5])
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit') or '1')
for i = 1, npeople do
  local person = ARGV[5 + i]
  local held = redis.call('HGET', KEYS[5], person)
  if held then
    local rank = redis.call('ZRANK', KEYS[3], held)
    return {'already_queued', held, rank and (rank + 1) or 0}
  end
  if ARGV[3] == '1' and tonumber(redis.call('HGET', KEYS[6], person) or '0') >= limit then return {'limit'} end
end
local number = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], number, ARGV[1])
for i = 1, npeople do redis.call('HSET', KEYS[5], ARGV[5 + i], ARGV[1]) end
for i = 6 + npeople, #ARGV, 2 do redis.call('HSET', KEYS[8], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[8], 'number', number, 'status', 'waiting')
redis.call('EXPIRE', KEYS[8], tonumber(ARGV[4]))
return {'queued', number, redis.call('ZRANK', KEYS[3], ARGV[1]) + 1}

-- @script take
-- Move up to ARGV[1] tickets from the head of the queue to inflight, in arrival order; return them.
local heads = redis.call('ZPOPMIN', KEYS[3], tonumber(ARGV[1]))
local out = {}
for i = 1, #heads, 2 do
  redis.call('ZADD', KEYS[4], heads[i + 1], heads[i])
  redis.call('HSET', ARGV[2] .. heads[i], 'status', 'admitting')
  out[#out + 1] = redis.call('HGETALL', ARGV[2] .. heads[i])
end
return out

-- @script end
-- End the queue (sold_out or closed): every waiting ticket is answered by the release's state at once.
-- Returns the waiting ticket ids; the release's keys and those tickets expire after ARGV[2] seconds.
redis.call('HSET', KEYS[1], 'state', ARGV[1])
local waiting = redis.call('ZRANGE', KEYS[3], 0, -1)
redis.call('DEL', KEYS[3], KEYS[5], KEYS[7])
for i = 1, #waiting do redis.call('EXPIRE', ARGV[3] .. waiting[i], tonumber(ARGV[2])) end
for i = 1, 6 do
  if i ~= 3 and i ~= 5 then redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2])) end
end
return waiting

-- @script view
-- A ticket with its position (1-based, while waiting), the queue's length and its release's state and pace.
local ticket = redis.call('HGETALL', KEYS[1])
if #ticket == 0 then return nil end
local release_id
for i = 1, #ticket, 2 do if ticket[i] == 'release_id' then release_id = ticket[i + 1] end end
local base = ARGV[1] .. 'r:' .. release_id
local rank = redis.call('ZRANK', base .. ':wait', string.sub(KEYS[1], #ARGV[1] + 3))
local meta = redis.call('HMGET', base, 'state', 'rate', 'seats_left')
local extra = {'release_state', meta[1] or '', 'rate', meta[2] or '', 'seats_left', meta[3] or '',
               'position', rank and tostring(rank + 1) or '', 'waiting', tostring(redis.call('ZCARD', base .. ':wait'))}
for i = 1, #extra do ticket[#ticket + 1] = extra[i] end
return ticket

-- @script lease
-- Take or renew the admitter's lease (one admitter per release at a time); 1 when held by ARGV[1].
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1

-- @script unlease
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
