-- One wrk scenario, one client per wrk thread (run as wrk -tN -cN): each thread's request() and
-- response() then alternate for one connection, so a client can carry state (its reservation).
-- The mode and data come from a key=value file named after `--` (written by bench/loadgen.py):
--   mode=booking|parking|read, path=..., popular=<slot id>, spread=1,2,3, lots=4,5, token=... (one per client)
-- Python twin: bench/loadgen.py (ClientState); keep the two in step.

local threads, counter = {}, 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

counts = {}  -- global: done() reads it from each thread with thread:get("counts")
local cfg, tokens, spread, lots = {}, {}, {}, {}
local n, active, last, headers = 0, nil, nil, nil

local function ids(text, into)
  for id in string.gmatch(text or "", "%d+") do table.insert(into, id) end
end

function init(args)
  for line in io.lines(args[1]) do
    local k, v = line:match("^([%w_]+)=(.*)$")
    if k == "token" then table.insert(tokens, v) elseif k then cfg[k] = v end
  end
  ids(cfg.spread, spread)
  ids(cfg.lots, lots)
  math.randomseed(tid * 7919 + os.time())
  headers = cfg.mode == "read" and {} or {["Content-Type"] = "application/json"}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(tid % #tokens) + 1] end
end

local function count(key) counts[key] = (counts[key] or 0) + 1 end
local function code_of(body) return body:match('"error":%s*"([%w_]+)"') or "conflict" end

function request()
  n = n + 1
  if cfg.mode == "read" then
    return wrk.format("GET", cfg.path, headers)
  elseif cfg.mode == "booking" then
    local slot = (n % 2 == 0) and cfg.popular or spread[math.random(#spread)]
    return wrk.format("POST", "/api/v1/bookings", headers, '{"slot_id": ' .. slot .. ', "party_size": 1}')
  end
  if active then
    last = "release"
    return wrk.format("POST", "/api/v1/parking/reservations/" .. active .. "/release", headers)
  end
  last = "reserve"
  local lot = lots[((tid + n) % #lots) + 1]
  return wrk.format("POST", "/api/v1/parking/reservations", headers,
                    '{"lot_id": ' .. lot .. ', "vehicle_number": "GJ11AB' .. string.format("%04d", tid) .. '"}')
end

function response(status, _headers, body)
  if cfg.mode == "read" then
    count(status == 200 and "ok" or ("status_" .. status))
  elseif cfg.mode == "booking" then
    if status == 201 then count("created")
    elseif status == 409 then count(code_of(body))
    else count("status_" .. status) end
  elseif last == "release" then
    active = nil
    count(status == 200 and "released" or ("release_status_" .. status))
  elseif status == 201 then
    active = body:match('"id":%s*(%d+)')
    count("reserved")
  elseif status == 409 then count(code_of(body))
  else count("reserve_status_" .. status) end
end

local function json(t)
  local parts = {}
  for k, v in pairs(t) do
    local value = type(v) == "table" and json(v) or tostring(v)
    table.insert(parts, string.format('"%s": %s', k, value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, _requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for k, v in pairs(thread:get("counts") or {}) do total[k] = (total[k] or 0) + v end
  end
  local e = summary.errors
  io.write("BENCHJSON ", json({
    requests = summary.requests, duration_us = summary.duration, bytes = summary.bytes,
    socket_errors = e.connect + e.read + e.write + e.timeout, timeouts = e.timeout,
    p50_us = latency:percentile(50), p90_us = latency:percentile(90), p99_us = latency:percentile(99),
    max_us = latency.max, mean_us = latency.mean, outcomes = total,
  }), "\n")
end
