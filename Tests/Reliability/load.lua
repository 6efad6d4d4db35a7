-- wrk script for Tests/Reliability/load.sh: a mix of item pages, near, overlaps and authorized
-- writes (one in ten requests creates a new point, its id unique to the run). Counts 5xx per thread and
-- prints one summary line the shell script parses.
local token = os.getenv("PLANATLAS_TOKEN") or ""
local run = os.getenv("PLANATLAS_LOAD_RUN") or "0"
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("thread_id", counter)
    table.insert(threads, thread)
end

local reads = {
    "/collections/historic-districts/items?limit=10",
    "/collections/metro-stations/items?bbox=123.3,41.7,123.5,41.9",
    "/collections/market-relocations/items",
    "/near?lon=123.4507&lat=41.7962&radius=1000",
    "/near?lon=123.43&lat=41.80&k=5",
    "/near?lon=123.40&lat=41.75&radius=3000&layers=metro-stations,heritage-sites",
    "/overlaps?layers=historic-districts,districts",
    "/overlaps?layers=metro-lines,historic-districts&buffer=50",
    "/collections",
}

function init(args)
    n = 0
    fivexx = 0
    writes = 0
    thread_id = wrk.thread:get("thread_id")
end

function request()
    n = n + 1
    if n % 10 == 0 then
        writes = writes + 1
        local id = string.format("load-%s-%d-%d", run, thread_id, writes)
        local lon = 123.30 + (writes % 200) * 0.001
        local body = string.format('{"type":"Feature","id":"%s","geometry":{"type":"Point","coordinates":[%.4f,41.78]},'
            .. '"properties":{"name":"负载","name_en":"load"}}', id, lon)
        return wrk.format("POST", "/collections/market-relocations/items",
            {["Content-Type"] = "application/geo+json", ["Authorization"] = "Bearer " .. token}, body)
    end
    return wrk.format("GET", reads[(n % #reads) + 1], {["Accept"] = "application/json"})
end

function response(status, headers, body)
    if status >= 500 then fivexx = fivexx + 1 end
end

function done(summary, latency, requests)
    local errors = 0
    for _, thread in ipairs(threads) do errors = errors + (thread:get("fivexx") or 0) end
    io.write(string.format("LOAD requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d "
        .. "socket_errors=%d fivexx=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, errors))
end
