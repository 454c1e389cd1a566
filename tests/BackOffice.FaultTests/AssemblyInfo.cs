using BackOffice.FaultTests.Infrastructure;

// Stopping the cluster stops every database on it and each scenario kills processes: one scenario at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(FaultCluster))]
[assembly: AssemblyFixture(typeof(FaultBrowser))]
