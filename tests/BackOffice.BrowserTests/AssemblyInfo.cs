using BackOffice.BrowserTests.Infrastructure;

// One Chromium for every test class; the apps it talks to come from collection and class fixtures.
[assembly: AssemblyFixture(typeof(Chromium))]
