-- POST the GraphQL request in $BENCH_BODY_FILE on every connection; print a JSON summary.
--
-- With BENCH_SEQ_START set, the file is a template and every request gets a fresh body: the
-- counter (starting after BENCH_SEQ_START) replaces __N__, and BENCH_ROWID_BASE + counter
-- replaces "__ROWID__" (quotes included); see bench/operations.py `instantiate`. Run with one
-- thread (-t1) so the counter is unique. BENCH_AUTHORIZATION, when set, is sent as the
-- Authorization header. The summary also counts X-Parley-Cache hits and misses, and responses
-- whose body holds GraphQL errors or user errors (an "errors" list or a non-empty "userErrors";
-- a field named "code", a country's, is no error).
local file = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local template = file:read("*a")
file:close()
wrk.method = "POST"
wrk.body = template
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local authorization = os.getenv("BENCH_AUTHORIZATION")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

local sequence = tonumber(os.getenv("BENCH_SEQ_START") or "")
local rowid_base = tonumber(os.getenv("BENCH_ROWID_BASE") or "0")
if sequence then
  function request()
    sequence = sequence + 1
    last_sequence = sequence
    local body = template:gsub('"__ROWID__"', tostring(rowid_base + sequence))
    body = body:gsub("__N__", tostring(sequence))
    return wrk.format(nil, nil, nil, body)
  end
end

-- per-thread counters (globals, so that done(), in the main Lua state, can read them)
hits, misses, body_errors, last_sequence = 0, 0, 0, sequence or 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  for name, value in pairs(headers) do
    if string.lower(name) == "x-parley-cache" then
      if value == "hit" then hits = hits + 1 else misses = misses + 1 end
    end
  end
  if body:find('"errors":[', 1, true) or body:find('"userErrors":[{', 1, true) then
    body_errors = body_errors + 1
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local total = { hits = 0, misses = 0, body_errors = 0, last_sequence = 0 }
  for _, thread in ipairs(threads) do
    for key, value in pairs(total) do
      local counted = thread:get(key) or 0
      total[key] = key == "last_sequence" and math.max(value, counted) or value + counted
    end
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"mean_us":%.1f,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"cache_hits":%d,"cache_misses":%d,"body_errors":%d,"last_sequence":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    total.hits, total.misses, total.body_errors, total.last_sequence))
end
