-- wrk script: cycles through the request paths listed one per line in the file
-- named by the first script argument (wrk ... -s paths.lua -- FILE), and prints
-- one JSON line of results at the end. Latencies are microseconds in wrk; the
-- JSON gives milliseconds.
local paths = {}
local counter = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. args[1])
  -- each wrk thread starts at a different place in the list
  counter = math.random(#paths) - 1
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], { ["Accept"] = "application/geo+json, application/json" })
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "requests_per_s": %.2f, "bytes": %d, ' ..
    '"latency_ms": {"mean": %.3f, "p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
