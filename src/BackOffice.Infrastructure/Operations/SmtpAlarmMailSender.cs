using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BackOffice.Infrastructure.Operations;

/// <summary>
/// Sends an alarm e-mail with MailKit over SMTP, always with STARTTLS (a server that does not offer it is refused, so
/// the text and any password never cross the network in clear). One connection per e-mail: alarms are rare.
/// </summary>
internal sealed class SmtpAlarmMailSender(IOptions<AlarmMailOptions> settings) : IAlarmMailSender
{
    public async Task<string?> SendAsync(AlarmMail mail, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(mail.Recipient));
        message.Subject = mail.Subject;
        message.MessageId = $"{mail.Id:N}@ausgabebox";
        message.Body = new TextPart("plain") { Text = mail.Body };

        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        if (options.ServerCertificateSha256.Length > 0)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => IsPinned(certificate, options.ServerCertificateSha256, errors);
        }
        try
        {
            await client.ConnectAsync(options.Host, options.Port, SecureSocketOptions.StartTls, cancellationToken);
            if (options.Username.Length > 0)
            {
                await client.AuthenticateAsync(options.Username, options.Password, cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or SslHandshakeException
                                       or AuthenticationException or NotSupportedException or SocketException or IOException
                                       or TimeoutException or ServiceNotConnectedException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Exactly the configured certificate, whatever signed it; the host name must still match it.</summary>
    private static bool IsPinned(X509Certificate? certificate, string sha256, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        var actual = SHA256.HashData(certificate.GetRawCertData());
        return CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(sha256));
    }
}
