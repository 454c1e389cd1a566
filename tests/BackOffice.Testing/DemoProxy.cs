using System.Diagnostics;

namespace BackOffice.Testing;

/// <summary>
/// nginx in front of the app instances, from the deployment's own site file (infra/nginx/ausgabebox.conf.template) and
/// infra/lib/nginx.sh, with TLS by a demo CA, as infra/run-ha.sh runs it.
/// </summary>
/// <param name="folder">nginx's own files (its configuration, logs, pid).</param>
/// <param name="instances">The app instances behind it.</param>
/// <param name="tlsFolder">The demo CA and certificate (made there when missing); default: inside <paramref name="folder"/>.</param>
public sealed class DemoProxy(string folder, IReadOnlyList<Uri> instances, string? tlsFolder = null) : IAsyncDisposable
{
    private readonly string _tls = tlsFolder ?? Path.Combine(folder, "tls");

    private readonly int _httpsPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    /// <summary>Where staff and boxes reach the back office: nginx's TLS port.</summary>
    public Uri Address => new($"https://localhost:{_httpsPort}/");

    /// <summary>The system's CAs plus the demo CA, for <c>SSL_CERT_FILE</c>.</summary>
    public string TrustBundle => Path.Combine(_tls, "trust-bundle.pem");

    public async Task StartAsync()
    {
        Directory.CreateDirectory(folder);
        var upstreams = string.Join(' ', instances.Select(i => $"127.0.0.1:{i.Port}"));
        await BashAsync($"""
            demo_certificate "{_tls}" && demo_trust_bundle "{_tls}" >/dev/null &&
            AUSGABEBOX_UPSTREAMS="{upstreams}" AUSGABEBOX_SERVER_NAME=localhost \
            AUSGABEBOX_HTTP_LISTEN=127.0.0.1:{_httpPort} AUSGABEBOX_HTTPS_LISTEN=127.0.0.1:{_httpsPort} AUSGABEBOX_HTTPS_PORT={_httpsPort} \
            AUSGABEBOX_TLS_CERTIFICATE="{_tls}/server.pem" AUSGABEBOX_TLS_KEY="{_tls}/server.key" \
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
            WorkingDirectory = RepositoryRoot.Path,
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
