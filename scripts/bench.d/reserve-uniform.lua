-- Workload U: 1 to 3 distinct products picked at random from SKU-00001 … SKU-10000, qty 1.
dofile("scripts/bench.d/seeded.lua")

request = function()
  local count = math.random(1, 3)
  local chosen, items = {}, {}
  while #items < count do
    local n = math.random(1, 10000)
    if not chosen[n] then
      chosen[n] = true
      items[#items + 1] = string.format('{"id":"SKU-%05d","qty":1}', n)
    end
  end
  local body = '{"lifetime":600,"items":[' .. table.concat(items, ",") .. ']}'
  return wrk.format("POST", "/servlets/services/reservation/10010",
    { ["Authorization"] = auth, ["Content-Type"] = "application/json" }, body)
end
