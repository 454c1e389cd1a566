using System.Diagnostics;

namespace BackOffice.Web;

/// <summary>
/// One line per HTTP request: method, path, status, duration. Never the query string (a SignalR client may carry a key
/// there), headers (cookies, API keys) or bodies (personal data). Health probes log at Debug so they do not drown the rest.
/// </summary>
internal static partial class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("BackOffice.Web.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var level = context.Request.Path.StartsWithSegments("/health") ? LogLevel.Debug : LogLevel.Information;
                LogRequest(logger, level, context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, elapsed);
            }
        });
    }

    [LoggerMessage(Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMilliseconds);
}
