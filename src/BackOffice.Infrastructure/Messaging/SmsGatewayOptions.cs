using System.Net.Http.Headers;
using BackOffice.Application.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Messaging;

/// <summary>Settings under <c>Sms:Gateway</c>: how to reach the provider's HTTP API. Password and API key are secrets.</summary>
public sealed class SmsGatewayOptions
{
    public const string SectionName = "Sms:Gateway";

    /// <summary>The endpoint messages are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>Basic authentication, if set.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>API key authentication, if set: sent in <see cref="ApiKeyHeader"/>.</summary>
    public string? ApiKey { get; set; }

    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>Per request; a timeout counts as a temporary failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The request body with the placeholders <c>{to}</c>, <c>{text}</c> and <c>{sender}</c>; values are escaped for
    /// <see cref="ContentType"/> (JSON, form or XML).
    /// </summary>
    public string RequestTemplate { get; set; } = """{"to":"{to}","text":"{text}","from":"{sender}"}""";

    public string ContentType { get; set; } = "application/json";

    /// <summary>The sender name the citizen sees, if the provider allows one (at most 11 letters and digits).</summary>
    public string SenderName { get; set; } = "";

    /// <summary>Where the provider's message id is in its JSON answer, as a dotted path ("id", "messages.0.id"); optional.</summary>
    public string? MessageIdJsonPath { get; set; }
}

internal sealed class SmsGatewayOptionsValidator(IOptions<SmsOptions> sms, IHostEnvironment environment) : IValidateOptions<SmsGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsGatewayOptions options)
    {
        // Only the sender in use needs its settings.
        if (sms.Value.Sender != SmsSenderKind.HttpGateway)
        {
            return ValidateOptionsResult.Success;
        }
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            errors.Add("Sms:Sender=HttpGateway needs Sms:Gateway:Url, the absolute http(s) address of the SMS gateway.");
        }
        else if (url.Scheme != "https" && !environment.IsDevelopment())
        {
            // The texts carry PINs.
            errors.Add("Sms:Gateway:Url must use https outside Development.");
        }
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
        {
            errors.Add("Sms:Gateway:Timeout must be positive and at most 00:01:00.");
        }
        else if (options.Timeout >= sms.Value.ClaimTimeout)
        {
            errors.Add("Sms:Gateway:Timeout must be shorter than Sms:ClaimTimeout, or a slow send could be repeated by another instance.");
        }
        if (!options.RequestTemplate.Contains("{to}", StringComparison.Ordinal) || !options.RequestTemplate.Contains("{text}", StringComparison.Ordinal))
        {
            errors.Add("Sms:Gateway:RequestTemplate must contain {to} and {text}.");
        }
        if (!MediaTypeHeaderValue.TryParse(options.ContentType, out _))
        {
            errors.Add("Sms:Gateway:ContentType must be a media type, e.g. application/json.");
        }
        if (!string.IsNullOrEmpty(options.ApiKey) && string.IsNullOrWhiteSpace(options.ApiKeyHeader))
        {
            errors.Add("Sms:Gateway:ApiKeyHeader must name the header the API key is sent in.");
        }
        if (!string.IsNullOrEmpty(options.Username) && options.Username.Contains(':', StringComparison.Ordinal))
        {
            errors.Add("Sms:Gateway:Username must not contain ':' (Basic authentication).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
