-- wrk script: rotates through request paths read from PATHS_FILE, sends the bearer token, and
-- prints p50/p95/p99 latency in milliseconds and the error count on one line for the report.
local paths = {}
local token = os.getenv("TOKEN")
local file = os.getenv("PATHS_FILE")
for line in io.lines(file) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
