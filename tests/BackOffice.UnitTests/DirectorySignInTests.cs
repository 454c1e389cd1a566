using System.Security.Claims;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.Extensions.Configuration;

namespace BackOffice.UnitTests;

public class DirectoryRolesTests
{
    private static readonly Dictionary<string, string> RoleMap = new(StringComparer.OrdinalIgnoreCase)
    {
        ["g-ausgabe-sachbearbeitung"] = "Clerk",
        ["g-ausgabe-admin"] = "Admin",
    };

    private static IReadOnlyList<string> Map(params Claim[] claims) => DirectoryRoles.From(claims, ["roles", ClaimTypes.Role], "groups", RoleMap);

    [Fact]
    public void From_AppRolesInTheToken_AreTheRoles() =>
        Assert.Equal(["Clerk", "Supervisor"], Map(new Claim("roles", "Supervisor"), new Claim(ClaimTypes.Role, "Clerk")));

    [Fact]
    public void From_MappedGroups_GiveTheirRoles() =>
        Assert.Equal(["Clerk", "Admin"], Map(new Claim("groups", "G-AUSGABE-ADMIN"), new Claim("groups", "g-ausgabe-sachbearbeitung")));

    [Fact]
    public void From_UnknownRolesAndUnmappedGroups_GiveNoRole() =>
        Assert.Empty(Map(new Claim("roles", "Superuser"), new Claim("roles", "admin"), new Claim("groups", "g-kantine"), new Claim("name", "Admin")));

    [Fact]
    public void From_ARoleFromBothSources_CountsOnce() =>
        Assert.Equal(["Admin"], Map(new Claim("roles", "Admin"), new Claim("groups", "g-ausgabe-admin")));
}

public class DirectoryClaimsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    [Fact]
    public void HasExpired_BeforeTheEnd_IsFalse() =>
        Assert.False(DirectoryClaims.HasExpired(Principal(new Claim(DirectoryClaims.Expires, Now.AddSeconds(1).ToUnixTimeSeconds().ToString())), Now));

    [Fact]
    public void HasExpired_AtTheEnd_IsTrue() =>
        Assert.True(DirectoryClaims.HasExpired(Principal(new Claim(DirectoryClaims.Expires, Now.ToUnixTimeSeconds().ToString())), Now));

    [Fact]
    public void HasExpired_LocalSignInWithoutAnEnd_IsFalse() =>
        Assert.False(DirectoryClaims.HasExpired(Principal(new Claim(ClaimTypes.Name, "admin@demo.local")), Now));
}

public class StaffAuthenticationOptionsValidatorTests
{
    private static string[] Failures(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(StaffAuthenticationOptions.SectionName).Get<StaffAuthenticationOptions>() ?? new StaffAuthenticationOptions();
        var result = new StaffAuthenticationOptionsValidator(configuration).Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }

    [Fact]
    public void Validate_NothingConfigured_IsLocalAndValid() => Assert.Empty(Failures([]));

    [Theory]
    [InlineData("Ldap")]
    [InlineData("1")]
    public void Validate_UnknownMode_NamesTheChoices(string mode) =>
        Assert.Equal([$"Authentication:Mode '{mode}' is unknown; use Local, Oidc or EntraId."], Failures(new() { ["Authentication:Mode"] = mode }));

    [Fact]
    public void Validate_OidcWithoutItsSettings_NamesEachMissingOne() =>
        Assert.Equal(
            [
                "Authentication:Oidc:Authority must be the provider's https:// issuer address.",
                "Authentication:Oidc:ClientId is missing.",
                "Authentication:Oidc:ClientSecret is missing.",
            ],
            Failures(new() { ["Authentication:Mode"] = "oidc", ["Authentication:Oidc:Authority"] = "http://keycloak.stadt.example/realms/stadt" }));

    [Fact]
    public void Validate_EntraIdWithoutSecretOrCertificate_SaysSo() =>
        Assert.Equal(
            ["Authentication:EntraId needs a ClientSecret or ClientCredentials (a certificate)."],
            Failures(new()
            {
                ["Authentication:Mode"] = "EntraId",
                ["Authentication:EntraId:Instance"] = "https://login.microsoftonline.com/",
                ["Authentication:EntraId:TenantId"] = "8d3c1f0e-5b7a-4c2e-9a61-0f4d2b7e9c11",
                ["Authentication:EntraId:ClientId"] = "2f1c0e55-0000-4000-8000-000000000001",
            }));

    [Fact]
    public void Validate_EntraIdWithACertificate_IsValid() =>
        Assert.Empty(Failures(new()
        {
            ["Authentication:Mode"] = "EntraId",
            ["Authentication:EntraId:Instance"] = "https://login.microsoftonline.com/",
            ["Authentication:EntraId:TenantId"] = "8d3c1f0e-5b7a-4c2e-9a61-0f4d2b7e9c11",
            ["Authentication:EntraId:ClientId"] = "2f1c0e55-0000-4000-8000-000000000001",
            ["Authentication:EntraId:ClientCredentials:0:SourceType"] = "StoreWithThumbprint",
            ["Authentication:EntraId:ClientCredentials:0:CertificateThumbprint"] = "0123456789ABCDEF0123456789ABCDEF01234567",
        }));

    [Fact]
    public void Validate_RoleMapToAnUnknownRole_IsRefused() =>
        Assert.Equal(
            ["Authentication:RoleMap:g-kantine names 'Koch'; use Clerk, Supervisor or Admin."],
            Failures(new() { ["Authentication:RoleMap:g-kantine"] = "Koch" }));
}

public class DirectoryFormActionTests
{
    [Fact]
    public void PolicyFor_ADirectory_AllowsItsOriginAsFormTargetOnly()
    {
        var policy = BackOffice.Web.Security.SecurityHeaders.PolicyFor("https://login.microsoftonline.com");

        Assert.Contains("form-action 'self' https://login.microsoftonline.com;", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Equal(BackOffice.Web.Security.SecurityHeaders.ContentSecurityPolicy, BackOffice.Web.Security.SecurityHeaders.PolicyFor(null));
    }
}
