-- What the random workloads share (dofile'd from the repository's root): each thread seeded
-- apart, and the demo user's credentials.
auth = "Basic " .. "dGplMDpUamUw" -- tje0:Tje0, the demo user

function setup(thread)
  thread:set("seed", math.random(1, 2^31 - 1))
end

function init(args)
  math.randomseed(seed)
end
