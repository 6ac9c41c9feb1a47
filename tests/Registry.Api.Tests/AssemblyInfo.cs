using Xunit;

// Every test here talks to one API host and one cluster on one database; one test at a time keeps the
// before/after counts each test reads its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
