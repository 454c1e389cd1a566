using System.Collections.Concurrent;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace BackOffice.IntegrationTests;

public class RequestLoggingTests(RequestLoggingTests.CapturingAppFactory app) : IClassFixture<RequestLoggingTests.CapturingAppFactory>
{
    [Fact]
    public async Task Request_IsLoggedOnOneLineWithoutQueryStringOrKeys()
    {
        var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "secret-key-in-a-header-000000000000");

        await client.GetAsync("/Account/Login?access_token=abx1_secret-in-the-query");

        var lines = app.Messages.ToList();
        Assert.Contains(lines, l => l.StartsWith("HTTP GET /Account/Login responded 200 in ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The app with an extra logger provider that keeps every message.</summary>
    public sealed class CapturingAppFactory : BackOfficeAppFactory
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new CapturingProvider(Messages)));
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(messages);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
