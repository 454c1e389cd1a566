using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackOffice.Testing;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>
/// A real SMTP server on a loopback port: Debian's aiosmtpd with its Maildir handler, with STARTTLS required on a
/// self-signed certificate for 127.0.0.1 made here (or without TLS, to prove the sender refuses to go on in clear).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder;

    private SmtpTestServer(Process process, TempDirectory folder, int port, string? certificateSha256)
    {
        _process = process;
        _folder = folder;
        Port = port;
        CertificateSha256 = certificateSha256;
    }

    public int Port { get; }

    /// <summary>The server certificate's SHA-256 in hex (null without TLS).</summary>
    public string? CertificateSha256 { get; }

    public static async Task<SmtpTestServer> StartAsync(bool tls = true)
    {
        var folder = new TempDirectory();
        var maildir = Path.Combine(folder.Path, "maildir");
        string? fingerprint = null;
        var arguments = new List<string> { "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox" };
        var port = FreePort.Next();
        arguments.AddRange(["-l", $"127.0.0.1:{port}"]);
        if (tls)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            var certPath = Path.Combine(folder.Path, "smtp.crt");
            var keyPath = Path.Combine(folder.Path, "smtp.key");
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
            arguments.AddRange(["--tlscert", certPath, "--tlskey", keyPath]);
        }
        arguments.Add("--");
        arguments.Add(maildir);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new SmtpTestServer(process, folder, port, fingerprint);
        await Eventually.WaitUntilAsync(() => !process.HasExited && Accepts(port), "aiosmtpd listens", TimeSpan.FromSeconds(20));
        return server;
    }

    /// <summary>Every message the server took, as raw text.</summary>
    public IReadOnlyList<string> Messages()
    {
        var received = Path.Combine(_folder.Path, "maildir", "new");
        return Directory.Exists(received) ? Directory.GetFiles(received).Select(File.ReadAllText).ToList() : [];
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
