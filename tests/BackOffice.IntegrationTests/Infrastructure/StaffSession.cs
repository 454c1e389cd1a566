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
    /// <summary>Posts the layout's sign-out form, with its antiforgery token from the start page.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        var token = Parser.ParseDocument(page).QuerySelector("form[action$='Account/Logout'] input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "The page carries the sign-out form.");
        return await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    public static async Task<string?> ErrorTextAsync(HttpResponseMessage response)
    {
        var document = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelector("[data-testid=login-error]")?.TextContent.Trim();
    }

    /// <summary>Posts the page's form <paramref name="formName"/> with its antiforgery token, as a browser would.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(HttpClient client, string path, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await client.GetAsync(path);
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode} {page.Headers.Location}");
        var document = Parser.ParseDocument(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelectorAll("form").FirstOrDefault(f => f.QuerySelector($"input[name=_handler][value={formName}]") is not null);
        Assert.True(form is not null, $"{path} shows the form {formName}.");
        var token = form!.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        var content = new Dictionary<string, string>(fields) { ["_handler"] = formName, ["__RequestVerificationToken"] = token ?? "" };
        return await client.PostAsync(path, new FormUrlEncodedContent(content));
    }
}
