using BackOffice.FaultTests.Infrastructure;

// Scenarios run side by side (each kills only its own processes); the ones that stop PostgreSQL have a cluster of their
// own (OutageCluster), so no other scenario's database goes away with it.
[assembly: AssemblyFixture(typeof(FaultCluster))]
[assembly: AssemblyFixture(typeof(FaultBrowser))]
