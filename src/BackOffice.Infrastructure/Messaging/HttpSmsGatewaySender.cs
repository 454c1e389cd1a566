using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using BackOffice.Application.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Messaging;

/// <summary>
/// Sends SMS through the provider's HTTP API: the body comes from <see cref="SmsGatewayOptions.RequestTemplate"/>.
/// 2xx is accepted; 408, 429, 5xx, timeouts and network errors are temporary; any other answer is permanent.
/// </summary>
/// <remarks>
/// Singleton; takes a fresh <see cref="HttpClient"/> from the factory per message (pooled handlers, DNS changes seen).
/// Failure reasons carry the status and a short, redacted piece of the answer, never the text.
/// </remarks>
public sealed partial class HttpSmsGatewaySender(
    IHttpClientFactory httpClientFactory,
    IOptions<SmsGatewayOptions> settings,
    TimeProvider timeProvider,
    ILogger<HttpSmsGatewaySender> logger) : ISmsSender
{
    public const string HttpClientName = "SmsGateway";

    private const int SnippetLength = 200;
    private const int MaxResponseChars = 64 * 1024;

    public async Task<SmsSendResult> SendAsync(string recipientE164, string text, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = CreateContent(options, recipientE164, text),
        };
        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(options.ApiKeyHeader, options.ApiKey);
        }

        using var timeout = new CancellationTokenSource(options.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var client = httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadLimitedAsync(response.Content, linked.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return SmsSendResult.Accepted(ReadMessageId(options.MessageIdJsonPath, body));
            }
            var escape = Escaper(options.ContentType);
            var snippet = Snippet(body, [text, escape(text), recipientE164, escape(recipientE164)]);
            var reason = $"HTTP {status} {response.ReasonPhrase}: {snippet}".TrimEnd(' ', ':');
            var temporary = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500;
            LogRefused(logger, status, temporary);
            return temporary ? SmsSendResult.TemporaryFailure(reason) : SmsSendResult.PermanentFailure(reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimeout(logger, options.Timeout);
            return SmsSendResult.TemporaryFailure(
                $"Zeitüberschreitung: keine Antwort des Gateways nach {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }
        catch (HttpRequestException ex)
        {
            LogNetworkError(logger, ex.HttpRequestError, ex);
            return SmsSendResult.TemporaryFailure($"Gateway nicht erreichbar ({ex.HttpRequestError}): {ex.Message}");
        }
    }

    /// <summary>The request body: the template with each placeholder replaced once, escaped for the content type.</summary>
    internal static string RenderBody(string template, string contentType, string to, string text, string sender)
    {
        var escape = Escaper(contentType);
        // One pass, so a text containing "{sender}" is not replaced again.
        return Placeholder().Replace(template, match => escape(match.Groups[1].Value switch
        {
            "to" => to,
            "text" => text,
            _ => sender,
        }));
    }

    private static Func<string, string> Escaper(string contentType)
    {
        var mediaType = MediaTypeHeaderValue.Parse(contentType).MediaType ?? "";
        if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            // Relaxed: umlauts stay readable; quotes, backslashes and control characters are still escaped.
            return value => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
        }
        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.EscapeDataString;
        }
        if (mediaType.EndsWith("xml", StringComparison.OrdinalIgnoreCase))
        {
            return value => SecurityElement.Escape(value);
        }
        return value => value;
    }

    /// <summary>Follows a dotted path ("messages.0.id") through a JSON answer; null when anything does not fit.</summary>
    internal static string? ReadMessageId(string? path, string body)
    {
        if (string.IsNullOrWhiteSpace(path) || string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var segment in path.Split('.'))
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(segment, out var child))
                {
                    element = child;
                }
                else if (element.ValueKind == JsonValueKind.Array
                    && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && index < element.GetArrayLength())
                {
                    element = element[index];
                }
                else
                {
                    return null;
                }
            }
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StringContent CreateContent(SmsGatewayOptions options, string to, string text)
    {
        var contentType = MediaTypeHeaderValue.Parse(options.ContentType);
        contentType.CharSet ??= "utf-8";
        var content = new StringContent(RenderBody(options.RequestTemplate, options.ContentType, to, text, options.SenderName), Encoding.UTF8);
        content.Headers.ContentType = contentType;
        return content;
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var buffer = new char[MaxResponseChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read);
    }

    /// <summary>
    /// The start of the gateway's answer for the failure reason. A gateway may echo the request, so the text and the
    /// number (as sent and as escaped) and any long run of digits (a PIN, a phone number) are cut out.
    /// </summary>
    internal static string Snippet(string body, IEnumerable<string> secrets)
    {
        var cleaned = body;
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            cleaned = cleaned.Replace(secret, "[…]", StringComparison.Ordinal);
        }
        cleaned = Digits().Replace(Whitespace().Replace(cleaned, " ").Trim(), "***");
        return cleaned.Length <= SnippetLength ? cleaned : $"{cleaned[..SnippetLength]}…";
    }

    [GeneratedRegex(@"\{(to|text|sender)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\+?\d{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS gateway answered HTTP {Status} (temporary: {Temporary})")]
    private static partial void LogRefused(ILogger logger, int status, bool temporary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS gateway did not answer within {Timeout}")]
    private static partial void LogTimeout(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS gateway unreachable ({Error})")]
    private static partial void LogNetworkError(ILogger logger, HttpRequestError error, Exception exception);
}
