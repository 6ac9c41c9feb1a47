// Every collection here runs clusters on one PostgreSQL on a 2-core machine: one at a time keeps timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
