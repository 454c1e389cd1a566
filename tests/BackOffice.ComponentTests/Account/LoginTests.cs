using System.Runtime.CompilerServices;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Components.Account;

namespace BackOffice.ComponentTests.Account;

/// <summary>
/// The sign-in page as the browser gets it (it renders without a circuit and posts the form to the server): the
/// MudBlazor fields carry the names the post binds, and what the page says before any password is checked.
/// Signing in against real accounts is tested end to end (IntegrationTests.SignInTests, BrowserTests.ShellTests).
/// </summary>
public class LoginTests : ComponentTest
{
    public LoginTests()
    {
        // Never reached on the paths tested here; an instance without its services fails loudly if it were.
        Services.AddSingleton((StaffSignIn)RuntimeHelpers.GetUninitializedObject(typeof(StaffSignIn)));
    }

    [Fact]
    public void Fields_CarryTheNamesTheFormPostBinds_WithLabelsAndAutocomplete()
    {
        var login = Render<Login>();

        var form = login.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        var email = login.Find("input#login-email");
        Assert.Equal("Input.Email", email.GetAttribute("name"));
        Assert.Equal("email", email.GetAttribute("type"));
        Assert.Equal("username", email.GetAttribute("autocomplete"));
        Assert.True(email.HasAttribute("data-autofocus"));
        Assert.Equal("E-Mail-Adresse", login.Find("label[for=login-email]").TextContent.Trim());
        var password = login.Find("input#login-password");
        Assert.Equal("Input.Password", password.GetAttribute("name"));
        Assert.Equal("password", password.GetAttribute("type"));
        Assert.Equal("current-password", password.GetAttribute("autocomplete"));
        Assert.Equal("Passwort", login.Find("label[for=login-password]").TextContent.Trim());
        var submit = login.Find("form button[type=submit]");
        Assert.Equal("Anmelden", submit.TextContent.Trim());
        Assert.Equal("Anmeldung", login.Find("h1").TextContent.Trim());
        Assert.Empty(login.FindAll("[data-testid=login-error]"));
    }

    [Fact]
    public void AfterAnIdleSignOut_ThePageSaysWhy()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/Account/Login?returnUrl=%2Fdokumente&reason=idle");

        var login = Render<Login>();

        Assert.Equal(
            "Sie wurden abgemeldet, weil längere Zeit keine Eingabe erfolgte. Bitte melden Sie sich erneut an.",
            login.Find("[data-testid=login-notice]").TextContent.Trim());
    }

    [Fact]
    public void SubmittingEmptyFields_AsksForBoth_WithTheLockoutHint()
    {
        var login = Render<Login>();

        login.Find("form").Submit();

        Assert.Equal("Bitte geben Sie E-Mail-Adresse und Passwort ein.", login.Find("[data-testid=login-error]").TextContent.Trim());
        Assert.Contains("Fehlversuchen", login.Find("[data-testid=login-error-hint]").TextContent, StringComparison.Ordinal);
        Assert.Empty(login.FindAll("[data-testid=login-notice]"));
    }
}
