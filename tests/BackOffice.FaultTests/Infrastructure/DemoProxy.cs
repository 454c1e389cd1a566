using System.Diagnostics;
using System.Reflection;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// nginx in front of the app instances, from the deployment's own site file (infra/nginx/ausgabebox.conf.template) and
/// infra/lib/nginx.sh, with TLS by a demo CA, as infra/run-ha.sh runs it.
/// </summary>
public sealed class DemoProxy(string folder, IReadOnlyList<Uri> instances) : IAsyncDisposable
{
    private static readonly string Root = typeof(DemoProxy).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    private readonly int _httpsPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    /// <summary>Where staff and boxes reach the back office: nginx's TLS port.</summary>
    public Uri Address => new($"https://localhost:{_httpsPort}/");

    /// <summary>The system's CAs plus the demo CA, for <c>SSL_CERT_FILE</c>.</summary>
    public string TrustBundle => Path.Combine(folder, "tls", "trust-bundle.pem");

    public async Task StartAsync()
    {
        var upstreams = string.Join(' ', instances.Select(i => $"127.0.0.1:{i.Port}"));
        await BashAsync($"""
            demo_certificate "{folder}/tls" && demo_trust_bundle "{folder}/tls" >/dev/null &&
            AUSGABEBOX_UPSTREAMS="{upstreams}" AUSGABEBOX_SERVER_NAME=localhost \
            AUSGABEBOX_HTTP_LISTEN=127.0.0.1:{_httpPort} AUSGABEBOX_HTTPS_LISTEN=127.0.0.1:{_httpsPort} AUSGABEBOX_HTTPS_PORT={_httpsPort} \
            AUSGABEBOX_TLS_CERTIFICATE="{folder}/tls/server.pem" AUSGABEBOX_TLS_KEY="{folder}/tls/server.key" \
              render_nginx_site infra/nginx/ausgabebox.conf.template "{folder}/ausgabebox.conf" &&
            start_demo_nginx "{folder}/server" "{folder}/ausgabebox.conf"
            """);
    }

    public async ValueTask DisposeAsync() => await BashAsync($"""stop_demo_nginx "{folder}/server" """);

    private static async Task BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", $"set -euo pipefail; source infra/lib/postgres.sh; source infra/lib/nginx.sh; {script}" },
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nginx: {script}\n{await output}{await error}");
        }
    }
}
