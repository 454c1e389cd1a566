using System.Net;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Boxes;
using BackOffice.Application.Common;
using BackOffice.Application.DestructionBin;
using BackOffice.Application.Documents;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.SingleSignOn;

/// <summary>The app in <c>Oidc</c> mode against the real test provider, with a clock the tests set.</summary>
public sealed class FreshSignInAppFactory : DirectoryAppFactory
{
    public override StaffAuthenticationMode Mode => StaffAuthenticationMode.Oidc;

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// The four-eyes second confirmation in a directory mode: the second person signs in fresh at the provider (it asks for
/// the password although the clerk's session there is open), the clerk's own sign-in stays, and the confirmation counts
/// once, for the clerk who asked, only when recent and only for another person with a role.
/// </summary>
public sealed class FreshSignInTests(FreshSignInAppFactory app) : IClassFixture<FreshSignInAppFactory>
{
    private static readonly string Clerk = AuditTrail.Staff(DirectoryUser.Clerk.Login);

    private FreshSignIns FreshSignIns => app.Services.GetRequiredService<FreshSignIns>();

    [Fact]
    public async Task BinEmptying_WithAFreshSignInOfASecondPerson_IsRecordedWithBothNames_AndTheConfirmationCountsOnce()
    {
        using var clerk = await SignedInClerkAsync();
        var ticket = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);

        var done = await SecondPersonSignsInAsync(clerk, ticket, DirectoryUser.Witness);

        var page = WebUtility.HtmlDecode(await (await clerk.App.GetAsync(done)).Content.ReadAsStringAsync());
        Assert.Contains("Sie sind als zweite Person angemeldet: Zoe Zeugin", page, StringComparison.Ordinal);
        var bin = app.Services.GetRequiredService<OldDocumentBin>();
        var box = (await bin.StatusAsync()).Single(b => b.BoxCode == "HOL-1");
        var refusal = await bin.RecordEmptyingAsync(
            new BinEmptyingInput(box.BoxId, box.DepositsSinceEmptying, null, new WitnessFreshSignIn(ticket)), DirectoryUser.Clerk.Login);
        var replayed = await bin.RecordEmptyingAsync(
            new BinEmptyingInput(box.BoxId, 0, "noch einmal", new WitnessFreshSignIn(ticket)), DirectoryUser.Clerk.Login);

        Assert.Null(refusal);
        Assert.Equal(RefusalCode.WitnessSignInMissing, replayed?.Code);
        await using var db = await app.NewDbContextAsync();
        var emptying = await db.BinEmptyings.Where(e => e.BoxId == box.BoxId).OrderByDescending(e => e.EmptiedAt).FirstAsync();
        Assert.Equal((DirectoryUser.Clerk.Login, DirectoryUser.Witness.Login), (emptying.RecordedBy, emptying.WitnessedBy));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "bin.emptied" && a.Actor == Clerk
            && a.Details!.Contains($"witnessed by {DirectoryUser.Witness.Login}")));
        var signIn = await db.AuditEntries.Where(a => a.Action == "staff.witness_signin" && a.Actor == AuditTrail.Staff(DirectoryUser.Witness.Login))
            .OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal("ok", signIn.Outcome);
        Assert.Contains($"id {DirectoryUser.Witness.ObjectId}; for {Clerk}", signIn.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FourEyesLoading_WithAFreshSignInOfASecondPerson_IsConfirmedByThem()
    {
        using var clerk = await SignedInClerkAsync();
        var boxes = app.Services.GetRequiredService<BoxAdministration>();
        var boxId = (await boxes.ListAsync()).Single(b => b.Code == "HOL-1").Id;
        await SetFourEyesAsync(boxes, boxId);
        var documentId = await RegisterAsync();
        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var proposal = (await loading.ProposeAsync([documentId]))!;
        Assert.True(proposal.NeedsWitness);
        var ticket = FreshSignIns.Begin(Clerk, WitnessPurpose.Loading);

        var before = await loading.StartAsync([documentId], proposal.CompartmentId, Clerk, witness: new WitnessFreshSignIn(ticket));
        await SecondPersonSignsInAsync(clerk, ticket, DirectoryUser.Witness);
        var started = await loading.StartAsync([documentId], proposal.CompartmentId, Clerk, witness: new WitnessFreshSignIn(ticket));

        Assert.Equal(RefusalCode.WitnessSignInMissing, before.Refusal?.Code);
        // Confirmed: the loading went on to the box, which (no bridge in this test) has never reported.
        Assert.Contains(started.Refusal?.Code, new RefusalCode?[] { RefusalCode.LoadBoxNeverOnline, RefusalCode.LoadBoxOffline });
        await using var db = await app.NewDbContextAsync();
        var load = await db.CompartmentLoads.Where(l => l.CompartmentId == proposal.CompartmentId).OrderByDescending(l => l.StartedAt).FirstAsync();
        Assert.Equal((Clerk, AuditTrail.Staff(DirectoryUser.Witness.Login)), (load.StartedBy, load.ConfirmedBy));
    }

    [Fact]
    public async Task SecondPerson_TheClerkThemselves_OrWithoutARole_DoesNotCount_AndNeitherDoesAPassword()
    {
        using var clerk = await SignedInClerkAsync();
        var verification = app.Services.GetRequiredService<IStaffVerification>();
        var results = new List<RefusalCode?>();
        foreach (var second in new[] { DirectoryUser.Clerk, DirectoryUser.WithoutRole })
        {
            var ticket = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);
            var done = await SecondPersonSignsInAsync(clerk, ticket, second);
            Assert.Contains("Diese Anmeldung zählt nicht als Bestätigung",
                WebUtility.HtmlDecode(await (await clerk.App.GetAsync(done)).Content.ReadAsStringAsync()), StringComparison.Ordinal);
            results.Add((await verification.ConfirmAsync(new WitnessFreshSignIn(ticket), Clerk, WitnessPurpose.BinEmptying)).Refusal?.Code);
        }
        var password = await verification.ConfirmAsync(new WitnessPassword(DirectoryUser.Witness.Login, DirectoryUser.Password), Clerk, WitnessPurpose.BinEmptying);

        results.Add(password.Refusal?.Code);
        Assert.Equal(new RefusalCode?[] { RefusalCode.WitnessMustDiffer, RefusalCode.WitnessWithoutRole, RefusalCode.WitnessNeedsDirectorySignIn }, results);
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.witness_signin" && a.Outcome == "refused"
            && a.Details!.Contains(nameof(RefusalCode.WitnessWithoutRole))));
        // Nobody without a role got a staff record from it.
        Assert.False(await db.Users.AnyAsync(u => u.DirectoryId == DirectoryUser.WithoutRole.ObjectId));
    }

    [Fact]
    public async Task SecondPerson_SignedInLongerAgo_OrConfirmingForAnotherClerkOrPurpose_DoesNotCount()
    {
        using var clerk = await SignedInClerkAsync();
        var verification = app.Services.GetRequiredService<IStaffVerification>();

        // The app's clock three minutes ahead of the provider's: the sign-in is older than two minutes when it arrives.
        var stale = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await SecondPersonSignsInAsync(clerk, stale, DirectoryUser.Witness);
        var staleCheck = await verification.ConfirmAsync(new WitnessFreshSignIn(stale), Clerk, WitnessPurpose.BinEmptying);

        // Recent when it arrives, but the clerk waited too long before using it.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var waited = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);
        await SecondPersonSignsInAsync(clerk, waited, DirectoryUser.Witness);
        Assert.True(FreshSignIns.Peek(waited)!.Confirmed);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var waitedCheck = await verification.ConfirmAsync(new WitnessFreshSignIn(waited), Clerk, WitnessPurpose.BinEmptying);

        // Another clerk, or another purpose, cannot use it.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var other = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);
        await SecondPersonSignsInAsync(clerk, other, DirectoryUser.Witness);
        var otherClerk = await verification.ConfirmAsync(new WitnessFreshSignIn(other), AuditTrail.Staff(DirectoryUser.Supervisor.Login), WitnessPurpose.BinEmptying);
        var otherPurpose = await verification.ConfirmAsync(new WitnessFreshSignIn(other), Clerk, WitnessPurpose.Loading);
        var own = await verification.ConfirmAsync(new WitnessFreshSignIn(other), Clerk, WitnessPurpose.BinEmptying);

        Assert.Equal(RefusalCode.WitnessSignInStale, staleCheck.Refusal?.Code);
        Assert.Equal(RefusalCode.WitnessSignInStale, waitedCheck.Refusal?.Code);
        Assert.Equal(new RefusalCode?[] { RefusalCode.WitnessSignInMissing, RefusalCode.WitnessSignInMissing }, new[] { otherClerk.Refusal?.Code, otherPurpose.Refusal?.Code });
        Assert.Equal(DirectoryUser.Witness.Login, own.UserName);
    }

    [Fact]
    public async Task SecondPersonSignIn_StartsOnlyForTheClerkWhoOpenedTheTicket()
    {
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        using var supervisor = app.NewBrowser();
        await supervisor.SignInAsync(DirectoryUser.Supervisor);
        using var anonymous = app.NewBrowser();
        var ticket = FreshSignIns.Begin(Clerk, WitnessPurpose.BinEmptying);

        var someoneElse = await supervisor.App.GetAsync($"{DirectoryAuthentication.SecondPersonPath}?ticket={ticket}");
        var unknown = await supervisor.App.GetAsync($"{DirectoryAuthentication.SecondPersonPath}?ticket={Guid.NewGuid()}");
        var nobody = await anonymous.App.GetAsync($"{DirectoryAuthentication.SecondPersonPath}?ticket={ticket}");

        Assert.Equal(new[] { HttpStatusCode.NotFound, HttpStatusCode.NotFound }, new[] { someoneElse.StatusCode, unknown.StatusCode });
        Assert.Equal(HttpStatusCode.Redirect, nobody.StatusCode);
        Assert.StartsWith("/Account/Login", nobody.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null(FreshSignIns.Peek(ticket));
    }

    private async Task<DirectoryBrowser> SignedInClerkAsync()
    {
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var clerk = app.NewBrowser();
        await clerk.SignInAsync(DirectoryUser.Clerk);
        return clerk;
    }

    /// <summary>
    /// From the clerk's browser (the provider's session of the clerk open): the second person's window, the provider's
    /// login page, and back. Returns the result page's address; the clerk is still signed in as themselves.
    /// </summary>
    private async Task<string> SecondPersonSignsInAsync(DirectoryBrowser clerk, Guid ticket, DirectoryUser second)
    {
        var challenge = await clerk.App.GetAsync($"{DirectoryAuthentication.SecondPersonPath}?ticket={ticket}");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        // prompt=login and max_age=0 travel in the pushed authorization request (PAR), not in this address: that the
        // provider shows its login page although the clerk's session there is open proves them.
        var callback = await clerk.AtProviderAsync(challenge.Headers.Location!, second);

        Assert.True(clerk.LoginPageShown, "The provider asked for the password again.");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var done = callback.Headers.Location!.OriginalString;
        Assert.Equal($"{DirectoryAuthentication.SecondPersonDonePath}?ticket={ticket}", done);
        Assert.False(callback.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal)),
            "The clerk's sign-in cookie is not replaced.");
        Assert.Contains(DirectoryUser.Clerk.Name, await (await clerk.App.GetAsync("/")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return done;
    }

    private static int _sequence;

    private async Task<Guid> RegisterAsync()
    {
        var n = Interlocked.Increment(ref _sequence);
        var registered = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass", DocumentNumber = $"C7{n:0000000}", HolderName = $"Fritz Frisch {n}", DateOfBirth = "01.02.1990",
            MobileNumber = $"+49172{6000000 + n}", ApplicationReference = $"FRESH-{n}-{Guid.NewGuid():N}"[..30], BoxCode = "HOL-1",
        }, Clerk);
        Assert.True(registered.DocumentId is not null, "registered");
        return registered.DocumentId.Value;
    }

    private static async Task SetFourEyesAsync(BoxAdministration boxes, Guid boxId)
    {
        var box = (await boxes.GetAsync(boxId))!;
        if (box.FourEyesLoading)
        {
            return;
        }
        var input = new BoxInput
        {
            Code = box.Code, Name = box.Name, Address = box.Address, TimeZoneId = box.TimeZoneId, OpenAroundTheClock = box.OpenAroundTheClock,
            PickupDeadlineDays = box.PickupDeadlineDays, FourEyesLoading = true,
            OpeningHours = box.OpeningHours.Select(p => new OpeningPeriodInput { Day = p.Day, Opens = p.Opens, Closes = p.Closes }).ToList(),
        };
        var result = await boxes.UpdateAsync(boxId, BoxAdministration.SettingsStamp(box), input, "staff:admin@demo.local");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
    }
}
