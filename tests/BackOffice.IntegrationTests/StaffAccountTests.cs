using BackOffice.Domain.Staff;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace BackOffice.IntegrationTests;

public class StaffAccountTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Theory]
    [InlineData("kurz1A")]
    [InlineData("nurkleinbuchstaben1")]
    [InlineData("OhneZiffernAberLang")]
    public async Task Create_WeakPassword_IsRefusedAndNoAccountRemains(string password)
    {
        var email = $"{Guid.NewGuid():N}@demo.local";

        var result = await CreateAsync(email, password, StaffRoles.Clerk);

        Assert.False(result.Succeeded);
        Assert.False(await ExistsAsync(email));
    }

    [Fact]
    public async Task Create_UnknownRole_IsRefusedAndNoAccountRemains()
    {
        var email = $"{Guid.NewGuid():N}@demo.local";

        var result = await CreateAsync(email, DemoStaff.Password, "Superuser");

        Assert.False(result.Succeeded);
        Assert.False(await ExistsAsync(email));
    }

    [Fact]
    public async Task Create_DuplicateEmail_IsRefused()
    {
        var result = await CreateAsync("admin@demo.local", DemoStaff.Password, StaffRoles.Admin);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Directory_Unlock_LiftsALockout()
    {
        var email = $"{Guid.NewGuid():N}@demo.local";
        Assert.True((await CreateAsync(email, DemoStaff.Password, StaffRoles.Clerk)).Succeeded);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(email);
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddHours(1));
        }
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var locked = Assert.Single(await directory.ListAsync(), a => a.Email == email);
        Assert.NotNull(locked.LockedOutUntil);

        Assert.True(await directory.UnlockAsync(locked.Id, "staff:test-admin"));

        Assert.Null(Assert.Single(await directory.ListAsync(), a => a.Email == email).LockedOutUntil);
    }

    private async Task<IdentityResult> CreateAsync(string email, string password, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateAsync(email, "Test", password, role, "staff:test-admin");
    }

    private async Task<bool> ExistsAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOfficeDbContext>();
        return await db.Users.AnyAsync(u => u.Email == email);
    }
}
