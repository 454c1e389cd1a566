using System.Net;
using AngleSharp.Html.Parser;

namespace BackOffice.IntegrationTests.Infrastructure;

/// <summary>Signs in through the real sign-in form, as a browser would: antiforgery token, form post, cookie.</summary>
public static class StaffSession
{
    private static readonly HtmlParser Parser = new();

    public static async Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var loginPath = returnUrl is null ? "/Account/Login" : $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await client.GetAsync(loginPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = Parser.ParseDocument(await page.Content.ReadAsStringAsync());
        var token = document.QuerySelector("form input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "The sign-in form carries an antiforgery token.");

        return await client.PostAsync(loginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token!,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Signs in and asserts it worked (redirect away from the sign-in page).</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password)
    {
        var response = await SubmitLoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"Sign-in of {email} answered {(int)response.StatusCode}: {await ErrorTextAsync(response)}");
    }

    /// <summary>The error shown on the sign-in page, if any.</summary>
    public static async Task<string?> ErrorTextAsync(HttpResponseMessage response)
    {
        var document = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelector("[data-testid=login-error]")?.TextContent.Trim();
    }
}
