-- ATP of 1 to 5 products picked at random from SKU-00001 … SKU-10000 of the web shop.
dofile("scripts/bench.d/seeded.lua")

request = function()
  local ids = {}
  for _ = 1, math.random(1, 5) do ids[#ids + 1] = string.format("SKU-%05d", math.random(1, 10000)) end
  return wrk.format("GET", "/servlets/services/atp/10010/" .. table.concat(ids, ","), { ["Authorization"] = auth })
end
