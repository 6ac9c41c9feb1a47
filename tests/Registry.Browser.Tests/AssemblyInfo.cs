// One cluster of processes and one browser for every test here; the tests share it one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
