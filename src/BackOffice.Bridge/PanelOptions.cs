using System.Net;

namespace BackOffice.Bridge;

/// <summary>The panel simulator (section <c>Bridge:Panel</c>): a local web page standing in for the box's touch panel.</summary>
public sealed class PanelOptions
{
    /// <summary>Where the page listens, e.g. <c>http://127.0.0.1:5090</c>; empty = no panel. Loopback and http only.</summary>
    public string Url { get; set; } = "";

    /// <summary>True for an absolute http URL on localhost or a loopback address (the page handles PINs: never on the network).</summary>
    public static bool IsLoopbackHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && IsLoopbackHost(uri.Host)
        && uri.AbsolutePath == "/"
        && string.IsNullOrEmpty(uri.Query);

    /// <summary>localhost or a loopback address (brackets of an IPv6 host allowed).</summary>
    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
