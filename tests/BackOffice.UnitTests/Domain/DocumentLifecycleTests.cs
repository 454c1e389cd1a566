using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;

namespace BackOffice.UnitTests.Domain;

/// <summary>
/// A document's lifecycle without a database: every step it allows (state after, fields, the timeline line it returns)
/// and every step it refuses, from every state.
/// </summary>
public class DocumentLifecycleTests
{
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private const string Box = "box:DLZ-1";
    private const string PinHash = "pbkdf2-sha256-hmac$1$c2FsdA==$aGFzaA==";
    private const int MaxAttempts = 5;

    private static readonly Guid BoxId = Guid.NewGuid();
    private static readonly DateTimeOffset Registered = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At = Registered.AddDays(1);
    private static readonly DateOnly Deadline = new(2026, 3, 13);
    private static readonly DateOnly AuthorizedBirth = new(1960, 1, 31);
    private const string AuthorizedMobile = "+491609876543";

    /// <summary>
    /// The states each step may start from, written out here rather than read from the domain: a change of the rules
    /// must change this table too. Steps with a further condition (lock, block, reminder, erasure) have their own tests.
    /// </summary>
    private static readonly Dictionary<DocumentTransition, DocumentState[]> AllowedFrom = new()
    {
        [DocumentTransition.Register] = [], // a registered document is registered once
        [DocumentTransition.StartLoading] = [DocumentState.Arrived],
        [DocumentTransition.CompleteLoading] = [DocumentState.Loading],
        [DocumentTransition.AbortLoading] = [DocumentState.Loading],
        [DocumentTransition.StartPickup] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ResumePickup] = [DocumentState.ReadyForPickup],
        [DocumentTransition.RevertPickup] = [DocumentState.PickupOpening],
        [DocumentTransition.HandOver] = [DocumentState.PickupOpening],
        [DocumentTransition.StartRetrieval] = [DocumentState.ReadyForPickup],
        [DocumentTransition.RevertRetrieval] = [DocumentState.Retrieving],
        [DocumentTransition.CompleteRetrieval] = [DocumentState.Retrieving],
        [DocumentTransition.RecordFailedAttempt] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ReissuePin] = [DocumentState.ReadyForPickup],
        [DocumentTransition.LiftLock] = Enum.GetValues<DocumentState>(),
        [DocumentTransition.Block] = Enum.GetValues<DocumentState>(),
        [DocumentTransition.Unblock] = Enum.GetValues<DocumentState>(),
        [DocumentTransition.RecordReminder] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ErasePersonalData] = [DocumentState.PickedUp, DocumentState.BackAtCounter],
        [DocumentTransition.JoinHousehold] = [DocumentState.Arrived],
        [DocumentTransition.RecordAuthorization] = [DocumentState.Arrived, DocumentState.ReadyForPickup],
        [DocumentTransition.RevokeAuthorization] = [DocumentState.Arrived, DocumentState.ReadyForPickup, DocumentState.BackAtCounter],
        [DocumentTransition.ExtendDeadline] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ReportMissing] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ReturnToCounter] = [DocumentState.ReadyForPickup],
        [DocumentTransition.ReportFound] = [DocumentState.Missing],
    };

    public static TheoryData<DocumentState, DocumentTransition> EveryStateAndStep()
    {
        var data = new TheoryData<DocumentState, DocumentTransition>();
        foreach (var state in Enum.GetValues<DocumentState>())
        {
            foreach (var transition in Enum.GetValues<DocumentTransition>())
            {
                data.Add(state, transition);
            }
        }
        return data;
    }

    [Fact]
    public void AllowedFrom_NamesEveryStep() =>
        Assert.Equal(Enum.GetValues<DocumentTransition>().Order(), AllowedFrom.Keys.Order());

    [Theory]
    [MemberData(nameof(EveryStateAndStep))]
    public void Step_FromEveryState_IsTakenOrRefusedAsTheTableSays_AndARefusalChangesNothing(DocumentState state, DocumentTransition transition)
    {
        // Revoking needs someone authorised; every other step takes a document without.
        var document = InState(state, authorized: transition == DocumentTransition.RevokeAuthorization);
        var before = Snapshot.Of(document);

        if (AllowedFrom[transition].Contains(state))
        {
            var line = Take(document, transition);

            Assert.Equal(document.Id, line.DocumentId);
            Assert.Equal(document.State, line.State);
        }
        else
        {
            var refused = Assert.Throws<DocumentTransitionException>(() => Take(document, transition));

            Assert.Equal(state, refused.From);
            Assert.Equal(transition, refused.Transition);
            Assert.Equal(before, Snapshot.Of(document));
        }
    }

    [Fact]
    public void Create_IsAnArrivedDocumentWithItsRegistrationData_NotYetRegistered()
    {
        var document = Document.Create(DocumentType.Passport, "CF1G2H3J4", "Erika Mustermann", new DateOnly(1983, 8, 12), "+491701234567",
            ["L01X00T47"], "APP-1", BoxId, needsAccessibleCompartment: true);

        Assert.Equal(DocumentState.Arrived, document.State);
        Assert.Equal(Guid.Empty, document.Id);
        Assert.Equal(("CF1G2H3J4", "Erika Mustermann", "+491701234567", "APP-1", BoxId, true),
            (document.DocumentNumber, document.HolderName, document.MobileNumber, document.ApplicationReference, document.BoxId,
                document.NeedsAccessibleCompartment));
        Assert.Equal(["L01X00T47"], document.OldDocumentNumbers);
        Assert.Null(document.CompartmentId);
    }

    [Fact]
    public void Register_GivesTheIdAndTime_AndReturnsTheRegisteredLine()
    {
        var document = Created();
        var id = Guid.NewGuid();

        var line = document.Register(id, Registered, "api:registration", "Erfasst.");

        Assert.Equal((id, Registered, DocumentState.Arrived), (document.Id, document.RegisteredAt, document.State));
        AssertLine(line, document, DocumentEventKind.Registered, Registered, "api:registration", "Erfasst.", null);
    }

    [Fact]
    public void Register_WithoutAnId_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Created().Register(Guid.Empty, Registered, Clerk, "Erfasst."));

    [Fact]
    public void StartLoading_FromArrived_PutsItIntoTheLoadingsCompartment()
    {
        var document = InState(DocumentState.Arrived);
        var compartment = FreeCompartment("03-07");
        var load = LoadInto(compartment);

        var line = document.StartLoading(load, compartment, At, Clerk, "Einlage begonnen.");

        Assert.Equal((DocumentState.Loading, load.Id, compartment.Id), (document.State, document.LoadId, document.CompartmentId));
        AssertLine(line, document, DocumentEventKind.LoadStarted, At, Clerk, "Einlage begonnen.", "03-07");
    }

    [Fact]
    public void StartLoading_IntoACompartmentOfAnotherBox_IsRefused()
    {
        var document = InState(DocumentState.Arrived);
        var elsewhere = new Compartment { Id = Guid.NewGuid(), BoxId = Guid.NewGuid(), Label = "01-01" };

        Assert.Throws<ArgumentException>(() => document.StartLoading(LoadInto(elsewhere), elsewhere, At, Clerk, "Einlage begonnen."));
        Assert.Equal(DocumentState.Arrived, document.State);
    }

    [Fact]
    public void StartLoading_WithAnotherCompartmentsLoading_IsRefused()
    {
        var document = InState(DocumentState.Arrived);

        Assert.Throws<ArgumentException>(() =>
            document.StartLoading(LoadInto(FreeCompartment("01-01")), FreeCompartment("01-02"), At, Clerk, "Einlage begonnen."));
        Assert.Null(document.LoadId);
    }

    [Fact]
    public void CompleteLoading_MakesItReadyUntilTheDeadline_WithThePin()
    {
        var document = InState(DocumentState.Loading);

        var line = document.CompleteLoading(Deadline, "new-hash", At, Clerk, "Bereit.", "03-07");

        Assert.Equal((DocumentState.ReadyForPickup, At, Deadline, "new-hash", At),
            (document.State, document.ReadyAt, document.PickupDeadline, document.PinHash, document.PinIssuedAt));
        AssertLine(line, document, DocumentEventKind.Loaded, At, Clerk, "Bereit.", "03-07");
    }

    [Fact]
    public void CompleteLoading_WithoutAPin_IsRefused() =>
        Assert.Throws<ArgumentException>(() => InState(DocumentState.Loading).CompleteLoading(Deadline, "", At, Clerk, "Bereit.", "03-07"));

    [Fact]
    public void AbortLoading_BringsItBackToTheCounter_InNoCompartment()
    {
        var document = InState(DocumentState.Loading);

        var line = document.AbortLoading(At, "system", "Abgebrochen.", "03-07");

        Assert.Equal((DocumentState.Arrived, null, null), (document.State, document.LoadId, document.CompartmentId));
        AssertLine(line, document, DocumentEventKind.LoadAborted, At, "system", "Abgebrochen.", "03-07");
    }

    [Fact]
    public void StartPickup_OpensIt_AndForgetsEarlierFailedAttempts()
    {
        var document = InState(DocumentState.ReadyForPickup);
        document.RecordFailedAttempt(MaxAttempts, At, Box, "Gesperrt.");

        var line = document.StartPickup(At, Box, "Angaben bestätigt.");

        Assert.Equal((DocumentState.PickupOpening, 0), (document.State, document.FailedPickupAttempts));
        AssertLine(line, document, DocumentEventKind.PickupStarted, At, Box, "Angaben bestätigt.", null);
    }

    [Fact]
    public void StartPickup_OfALockedDocument_IsRefused()
    {
        var document = Locked(InState(DocumentState.ReadyForPickup));

        var refused = Assert.Throws<DocumentTransitionException>(() => document.StartPickup(At, Box, "Angaben bestätigt."));

        Assert.Equal((DocumentState.ReadyForPickup, DocumentTransition.StartPickup), (refused.From, refused.Transition));
        Assert.Equal((DocumentState.ReadyForPickup, MaxAttempts), (document.State, document.FailedPickupAttempts));
    }

    [Fact]
    public void StartPickup_OfABlockedDocument_IsRefused()
    {
        var document = InState(DocumentState.ReadyForPickup);
        document.Block("als verloren gemeldet", At, Clerk, "Gesperrt.");

        Assert.Throws<DocumentTransitionException>(() => document.StartPickup(At, Box, "Angaben bestätigt."));
        Assert.Equal(DocumentState.ReadyForPickup, document.State);
    }

    [Fact]
    public void ResumePickup_AfterTheBoxSaysTheDoorOpened_OpensItEvenIfLockedSince()
    {
        var document = Locked(InState(DocumentState.ReadyForPickup));

        var line = document.ResumePickup(At, Box, "Doch geöffnet.", "03-07");

        Assert.Equal((DocumentState.PickupOpening, MaxAttempts), (document.State, document.FailedPickupAttempts));
        AssertLine(line, document, DocumentEventKind.PickupStarted, At, Box, "Doch geöffnet.", "03-07");
    }

    [Fact]
    public void RevertPickup_MakesItReadyAgain()
    {
        var document = InState(DocumentState.PickupOpening);

        var line = document.RevertPickup(At, Box, "Nicht geöffnet.", null);

        Assert.Equal(DocumentState.ReadyForPickup, document.State);
        AssertLine(line, document, DocumentEventKind.PickupNotOpened, At, Box, "Nicht geöffnet.", null);
    }

    [Fact]
    public void HandOver_RecordsWhenItWasPickedUp()
    {
        var document = InState(DocumentState.PickupOpening);

        var line = document.HandOver(At, Box, "Übergeben.", "03-07");

        Assert.Equal((DocumentState.PickedUp, At), (document.State, document.PickedUpAt));
        AssertLine(line, document, DocumentEventKind.PickedUp, At, Box, "Übergeben.", "03-07");
    }

    [Fact]
    public void StartRetrieval_TakesEvenABlockedDocumentOut()
    {
        var document = InState(DocumentState.ReadyForPickup);
        document.Block("beschlagnahmt", At, Clerk, "Gesperrt.");

        var line = document.StartRetrieval(At, Clerk, "Rückholung.", "03-07");

        Assert.Equal(DocumentState.Retrieving, document.State);
        AssertLine(line, document, DocumentEventKind.RetrievalStarted, At, Clerk, "Rückholung.", "03-07");
    }

    [Fact]
    public void RevertRetrieval_MakesItReadyAgain_WithItsPin()
    {
        var document = InState(DocumentState.Retrieving);

        var line = document.RevertRetrieval(At, "system", "Nicht geöffnet.", "03-07");

        Assert.Equal((DocumentState.ReadyForPickup, PinHash), (document.State, document.PinHash));
        AssertLine(line, document, DocumentEventKind.RetrievalAborted, At, "system", "Nicht geöffnet.", "03-07");
    }

    [Fact]
    public void CompleteRetrieval_PutsItAtTheCounter_AndVoidsThePin()
    {
        var document = InState(DocumentState.Retrieving);

        var line = document.CompleteRetrieval(At, Clerk, "Am Schalter.", "03-07");

        Assert.Equal((DocumentState.BackAtCounter, At, null), (document.State, document.ReturnedToCounterAt, document.PinHash));
        AssertLine(line, document, DocumentEventKind.Retrieved, At, Clerk, "Am Schalter.", "03-07");
    }

    [Fact]
    public void RecordFailedAttempt_Counts_AndTheLastAllowedOneLocksWithOneLine()
    {
        var document = InState(DocumentState.ReadyForPickup);

        var lines = Enumerable.Range(1, MaxAttempts + 1)
            .Select(i => document.RecordFailedAttempt(MaxAttempts, At.AddMinutes(i), Box, "Gesperrt."))
            .ToList();

        Assert.All(lines.Take(MaxAttempts - 1), Assert.Null);
        AssertLine(lines[MaxAttempts - 1], document, DocumentEventKind.LockedAfterFailures, At.AddMinutes(MaxAttempts), Box, "Gesperrt.", null);
        Assert.Null(lines[MaxAttempts]);
        Assert.Equal((MaxAttempts + 1, At.AddMinutes(MaxAttempts)), (document.FailedPickupAttempts, document.PickupLockedAt));
        Assert.Equal(DocumentState.ReadyForPickup, document.State);
    }

    [Fact]
    public void ReissuePin_ReplacesThePin_AndEndsALock()
    {
        var document = Locked(InState(DocumentState.ReadyForPickup));

        var line = document.ReissuePin("another-hash", At, Clerk, "Neue PIN.");

        Assert.Equal(("another-hash", At, 0, null), (document.PinHash, document.PinIssuedAt, document.FailedPickupAttempts, document.PickupLockedAt));
        AssertLine(line, document, DocumentEventKind.PinReissued, At, Clerk, "Neue PIN.", null);
    }

    [Fact]
    public void LiftLock_EndsTheLockAndTheCount()
    {
        var document = Locked(InState(DocumentState.ReadyForPickup));

        var line = document.LiftLock(At, Clerk, "Sperre aufgehoben.");

        Assert.Equal((null, 0), (document.PickupLockedAt, document.FailedPickupAttempts));
        AssertLine(line, document, DocumentEventKind.LockLifted, At, Clerk, "Sperre aufgehoben.", null);
    }

    [Fact]
    public void Block_ThenUnblock_SetsAndClearsTheReason()
    {
        var document = InState(DocumentState.ReadyForPickup);

        var blocked = document.Block("als verloren gemeldet", At, Clerk, "Gesperrt: als verloren gemeldet");
        Assert.Equal("als verloren gemeldet", document.BlockedReason);
        AssertLine(blocked, document, DocumentEventKind.Blocked, At, Clerk, "Gesperrt: als verloren gemeldet", null);

        var unblocked = document.Unblock(At.AddHours(1), Clerk, "Sperre aufgehoben.");
        Assert.Null(document.BlockedReason);
        AssertLine(unblocked, document, DocumentEventKind.Unblocked, At.AddHours(1), Clerk, "Sperre aufgehoben.", null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Block_WithoutAReason_IsRefused(string reason) =>
        Assert.ThrowsAny<ArgumentException>(() => InState(DocumentState.ReadyForPickup).Block(reason, At, Clerk, "Gesperrt."));

    [Fact]
    public void Block_WithAReasonLongerThanTheColumn_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            InState(DocumentState.ReadyForPickup).Block(new string('x', Document.BlockedReasonMaxLength + 1), At, Clerk, "Gesperrt."));

    [Fact]
    public void RecordReminder_OncePerLoading()
    {
        var document = InState(DocumentState.ReadyForPickup);

        var line = document.RecordReminder(At, "system", "Erinnerung.");

        Assert.Equal(At, document.ReminderSentAt);
        AssertLine(line, document, DocumentEventKind.ReminderSent, At, "system", "Erinnerung.", null);
        var refused = Assert.Throws<DocumentTransitionException>(() => document.RecordReminder(At.AddDays(1), "system", "Erinnerung."));
        Assert.Equal(DocumentTransition.RecordReminder, refused.Transition);
        Assert.Equal(At, document.ReminderSentAt);
    }

    [Theory]
    [InlineData(DocumentState.PickedUp)]
    [InlineData(DocumentState.BackAtCounter)]
    public void ErasePersonalData_LeavesTheAnonymousRecord_Once(DocumentState state)
    {
        var document = InState(state, household: "household-key");

        var line = document.ErasePersonalData(At, "system", "Gelöscht.");

        Assert.Equal(("", DateOnly.MinValue, "", null, null, At),
            (document.HolderName, document.DateOfBirth, document.MobileNumber, document.HouseholdId, document.PinHash, document.PersonalDataErasedAt));
        Assert.Empty(document.OldDocumentNumbers);
        Assert.Equal("~" + document.Id.ToString("N")[..8].ToUpperInvariant(), document.DocumentNumber);
        Assert.Equal((state, DocumentType.Passport, BoxId), (document.State, document.Type, document.BoxId));
        AssertLine(line, document, DocumentEventKind.PersonalDataErased, At, "system", "Gelöscht.", null);
        Assert.Throws<DocumentTransitionException>(() => document.ErasePersonalData(At.AddDays(1), "system", "Gelöscht."));
        Assert.Equal(At, document.PersonalDataErasedAt);
    }

    [Fact]
    public void JoinHousehold_BeforeLoading_SetsTheHouseholdKey()
    {
        var document = InState(DocumentState.Arrived);

        var line = document.JoinHousehold("household-key", At, Clerk, "Zugeordnet.");

        Assert.Equal("household-key", document.HouseholdId);
        AssertLine(line, document, DocumentEventKind.JoinedHousehold, At, Clerk, "Zugeordnet.", null);
    }

    [Fact]
    public void RecordAuthorization_BeforeLoading_SendsTheFirstPinToThePerson()
    {
        var document = InState(DocumentState.Arrived);

        var line = Authorize(document);

        Assert.Equal(("Max Mustermann", AuthorizedBirth, AuthorizedMobile, AuthorizationProof.SignedAuthorizationForm, At),
            (document.AuthorizedName, document.AuthorizedDateOfBirth, document.AuthorizedMobileNumber, document.AuthorizationProof, document.AuthorizedAt));
        Assert.Equal(AuthorizedMobile, document.PinRecipient);
        Assert.Null(document.PinHash);
        AssertLine(line, document, DocumentEventKind.AuthorizationRecorded, At, Clerk, "Vollmacht erfasst.", null);
    }

    [Fact]
    public void RecordAuthorization_WhenReady_ReplacesThePin_AndKeepsALock()
    {
        var document = Locked(InState(DocumentState.ReadyForPickup));

        Authorize(document);

        Assert.Equal(("authorized-hash", At), (document.PinHash, document.PinIssuedAt));
        Assert.NotNull(document.PickupLockedAt);
    }

    [Fact]
    public void RecordAuthorization_WhenReady_WithoutANewPin_IsRefused() =>
        Assert.ThrowsAny<ArgumentException>(() => InState(DocumentState.ReadyForPickup).RecordAuthorization(
            "Max Mustermann", AuthorizedBirth, AuthorizedMobile, AuthorizationProof.ParentalCustody, null, At, Clerk, "Vollmacht erfasst."));

    [Fact]
    public void RecordAuthorization_WhileOneIsRecorded_IsRefused_AndKeepsTheFirst()
    {
        var document = InState(DocumentState.Arrived, authorized: true);

        var refused = Assert.Throws<DocumentTransitionException>(() => document.RecordAuthorization(
            "Eva Muster", new DateOnly(1970, 2, 2), "+491700000000", AuthorizationProof.ParentalCustody, null, At, Clerk, "Vollmacht erfasst."));

        Assert.Equal(DocumentTransition.RecordAuthorization, refused.Transition);
        Assert.Equal("Max Mustermann", document.AuthorizedName);
    }

    [Fact]
    public void RevokeAuthorization_WhenReady_GivesTheHolderANewPin_AndForgetsThePerson()
    {
        var document = InState(DocumentState.ReadyForPickup, authorized: true);

        var line = document.RevokeAuthorization("holder-hash", At.AddHours(1), Clerk, "Vollmacht widerrufen.");

        Assert.Equal(("holder-hash", At.AddHours(1)), (document.PinHash, document.PinIssuedAt));
        Assert.Equal((null, null, null, null), (document.AuthorizedName, document.AuthorizedMobileNumber, document.AuthorizedDateOfBirth, document.AuthorizationProof));
        Assert.Equal("+491701234567", document.PinRecipient);
        AssertLine(line, document, DocumentEventKind.AuthorizationRevoked, At.AddHours(1), Clerk, "Vollmacht widerrufen.", null);
    }

    [Theory]
    [InlineData(DocumentState.Arrived)]
    [InlineData(DocumentState.ReadyForPickup)]
    public void RevokeAuthorization_WithNobodyAuthorised_IsRefused(DocumentState state)
    {
        var document = InState(state);
        var before = Snapshot.Of(document);

        Assert.Throws<DocumentTransitionException>(() => document.RevokeAuthorization("holder-hash", At, Clerk, "Vollmacht widerrufen."));
        Assert.Equal(before, Snapshot.Of(document));
    }

    [Fact]
    public void StartPickup_ByTheAuthorisedPerson_IsRecordedThroughTheHandover()
    {
        var document = InState(DocumentState.ReadyForPickup, authorized: true);

        document.StartPickup(At, Box, "Angaben bestätigt.", byAuthorizedPerson: true);
        document.HandOver(At, Box, "Übergeben.", "03-07");

        Assert.Equal((DocumentState.PickedUp, true), (document.State, document.PickedUpByAuthorizedPerson));
    }

    [Fact]
    public void StartPickup_ByAnAuthorisedPerson_WithNobodyAuthorised_IsRefused()
    {
        var document = InState(DocumentState.ReadyForPickup);

        Assert.Throws<DocumentTransitionException>(() => document.StartPickup(At, Box, "Angaben bestätigt.", byAuthorizedPerson: true));
        Assert.Equal((DocumentState.ReadyForPickup, false), (document.State, document.PickedUpByAuthorizedPerson));
    }

    [Fact]
    public void ExtendDeadline_AddsTheDays_CountsIt_AndMakesTheReminderDueAgain()
    {
        var document = InState(DocumentState.ReadyForPickup);
        document.RecordReminder(At, "system", "Erinnerung.");

        var line = document.ExtendDeadline(10, 10, 2, At, Clerk, "Verlängert.");

        Assert.Equal((Deadline.AddDays(10), 1, null), (document.PickupDeadline, document.DeadlineExtensions, document.ReminderSentAt));
        AssertLine(line, document, DocumentEventKind.DeadlineExtended, At, Clerk, "Verlängert.", null);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void ExtendDeadline_ByDaysOutsideTheLimit_IsRefused(int days)
    {
        var document = InState(DocumentState.ReadyForPickup);

        Assert.Throws<ArgumentOutOfRangeException>(() => document.ExtendDeadline(days, 10, 2, At, Clerk, "Verlängert."));
        Assert.Equal((Deadline, 0), (document.PickupDeadline, document.DeadlineExtensions));
    }

    [Fact]
    public void ExtendDeadline_MoreOftenThanAllowed_IsRefused()
    {
        var document = InState(DocumentState.ReadyForPickup);
        document.ExtendDeadline(5, 10, 2, At, Clerk, "Verlängert.");
        document.ExtendDeadline(5, 10, 2, At, Clerk, "Verlängert.");

        var refused = Assert.Throws<DocumentTransitionException>(() => document.ExtendDeadline(5, 10, 2, At, Clerk, "Verlängert."));

        Assert.Equal(DocumentTransition.ExtendDeadline, refused.Transition);
        Assert.Equal((Deadline.AddDays(10), 2), (document.PickupDeadline, document.DeadlineExtensions));
    }

    [Fact]
    public void ErasePersonalData_ErasesTheAuthorisedPerson_AndKeepsHowItWasHandedOver()
    {
        var document = InState(DocumentState.ReadyForPickup, authorized: true);
        document.StartPickup(At, Box, "Angaben bestätigt.", byAuthorizedPerson: true);
        document.HandOver(At, Box, "Übergeben.", "03-07");

        document.ErasePersonalData(At.AddDays(31), "system", "Gelöscht.");

        Assert.Equal((null, null, null, null), (document.AuthorizedName, document.AuthorizedMobileNumber, document.AuthorizedDateOfBirth, document.AuthorizedMobileNumberHash));
        Assert.Equal((AuthorizationProof.SignedAuthorizationForm, true), (document.AuthorizationProof, document.PickedUpByAuthorizedPerson));
    }

    [Fact]
    public void ALifeAtTheBox_FromArrivalToPickup()
    {
        var document = InState(DocumentState.Arrived);
        var compartment = FreeCompartment("05-02");
        var load = LoadInto(compartment);

        var kinds = new[]
        {
            document.StartLoading(load, compartment, At, Clerk, "Einlage."),
            document.CompleteLoading(Deadline, PinHash, At, Clerk, "Bereit.", compartment.Label),
            document.StartPickup(At, Box, "Angaben bestätigt."),
            document.RevertPickup(At, Box, "Nicht geöffnet.", compartment.Label),
            document.ResumePickup(At, Box, "Doch geöffnet.", compartment.Label),
            document.HandOver(At, Box, "Übergeben.", compartment.Label),
        }.Select(line => (line.Kind, line.State));

        Assert.Equal(
        [
            (DocumentEventKind.LoadStarted, DocumentState.Loading),
            (DocumentEventKind.Loaded, DocumentState.ReadyForPickup),
            (DocumentEventKind.PickupStarted, DocumentState.PickupOpening),
            (DocumentEventKind.PickupNotOpened, DocumentState.ReadyForPickup),
            (DocumentEventKind.PickupStarted, DocumentState.PickupOpening),
            (DocumentEventKind.PickedUp, DocumentState.PickedUp),
        ], kinds);
    }

    [Fact]
    public void ReportMissing_FromReady_VoidsThePin_AndRecordsTheInventoryLine()
    {
        var document = InState(DocumentState.ReadyForPickup);

        var line = document.ReportMissing(At, Clerk, "Bei der Inventur nicht gefunden.", "03-07");

        Assert.Equal(DocumentState.Missing, document.State);
        Assert.Null(document.PinHash);
        AssertLine(line, document, DocumentEventKind.ReportedMissing, At, Clerk, "Bei der Inventur nicht gefunden.", "03-07");
    }

    [Fact]
    public void ReturnToCounter_FromReady_IsBackAtTheCounterWithoutAPin()
    {
        var document = InState(DocumentState.ReadyForPickup);

        var line = document.ReturnToCounter(At, Clerk, "Nach der Inventur am Schalter.", "03-07");

        Assert.Equal((DocumentState.BackAtCounter, (string?)null, (DateTimeOffset?)At), (document.State, document.PinHash, document.ReturnedToCounterAt));
        AssertLine(line, document, DocumentEventKind.ReturnedToCounter, At, Clerk, "Nach der Inventur am Schalter.", "03-07");
    }

    [Fact]
    public void ReportFound_FromMissing_IsBackAtTheCounter_AndThePinStaysVoid()
    {
        var document = InState(DocumentState.Missing);

        var line = document.ReportFound(At, Clerk, "Wiedergefunden: lag im Tresor.");

        Assert.Equal((DocumentState.BackAtCounter, (string?)null, (DateTimeOffset?)At), (document.State, document.PinHash, document.ReturnedToCounterAt));
        AssertLine(line, document, DocumentEventKind.FoundAgain, At, Clerk, "Wiedergefunden: lag im Tresor.", null);
    }

    /// <summary>A registered document brought into <paramref name="state"/> the way the services bring it there.</summary>
    private static Document InState(DocumentState state, string? household = null, bool authorized = false)
    {
        var document = Created();
        document.Register(Guid.NewGuid(), Registered, "api:registration", "Erfasst.");
        if (authorized)
        {
            Authorize(document);
        }
        if (household is not null)
        {
            document.JoinHousehold(household, Registered, Clerk, "Zugeordnet.");
        }
        if (state == DocumentState.Arrived)
        {
            return document;
        }
        var compartment = FreeCompartment("03-07");
        document.StartLoading(LoadInto(compartment), compartment, At, Clerk, "Einlage.");
        if (state == DocumentState.Loading)
        {
            return document;
        }
        document.CompleteLoading(Deadline, PinHash, At, Clerk, "Bereit.", compartment.Label);
        switch (state)
        {
            case DocumentState.ReadyForPickup:
                break;
            case DocumentState.PickupOpening:
                document.StartPickup(At, Box, "Angaben bestätigt.");
                break;
            case DocumentState.PickedUp:
                document.StartPickup(At, Box, "Angaben bestätigt.");
                document.HandOver(At, Box, "Übergeben.", compartment.Label);
                break;
            case DocumentState.Retrieving:
                document.StartRetrieval(At, Clerk, "Rückholung.", compartment.Label);
                break;
            case DocumentState.BackAtCounter:
                document.StartRetrieval(At, Clerk, "Rückholung.", compartment.Label);
                document.CompleteRetrieval(At, Clerk, "Am Schalter.", compartment.Label);
                break;
            case DocumentState.Missing:
                document.ReportMissing(At, Clerk, "Vermisst.", compartment.Label);
                break;
            default:
                // A new state needs a way here, and a line in AllowedFrom for every step.
                throw new ArgumentOutOfRangeException(nameof(state), state, "No way to this state yet.");
        }
        Assert.Equal(state, document.State);
        return document;
    }

    /// <summary>Takes <paramref name="transition"/> with valid arguments; only the document's state can refuse it.</summary>
    private static DocumentEvent Take(Document document, DocumentTransition transition)
    {
        var compartment = FreeCompartment("04-04");
        return transition switch
        {
            DocumentTransition.Register => document.Register(Guid.NewGuid(), At, Clerk, "Erfasst."),
            DocumentTransition.StartLoading => document.StartLoading(LoadInto(compartment), compartment, At, Clerk, "Einlage."),
            DocumentTransition.CompleteLoading => document.CompleteLoading(Deadline, PinHash, At, Clerk, "Bereit.", "04-04"),
            DocumentTransition.AbortLoading => document.AbortLoading(At, Clerk, "Abgebrochen.", "04-04"),
            DocumentTransition.StartPickup => document.StartPickup(At, Box, "Angaben bestätigt."),
            DocumentTransition.ResumePickup => document.ResumePickup(At, Box, "Doch geöffnet.", "04-04"),
            DocumentTransition.RevertPickup => document.RevertPickup(At, Box, "Nicht geöffnet.", "04-04"),
            DocumentTransition.HandOver => document.HandOver(At, Box, "Übergeben.", "04-04"),
            DocumentTransition.StartRetrieval => document.StartRetrieval(At, Clerk, "Rückholung.", "04-04"),
            DocumentTransition.RevertRetrieval => document.RevertRetrieval(At, Clerk, "Nicht geöffnet.", "04-04"),
            DocumentTransition.CompleteRetrieval => document.CompleteRetrieval(At, Clerk, "Am Schalter.", "04-04"),
            // With a limit of one the attempt locks, so the step returns its line.
            DocumentTransition.RecordFailedAttempt => document.RecordFailedAttempt(1, At, Box, "Gesperrt.")!,
            DocumentTransition.ReissuePin => document.ReissuePin("another-hash", At, Clerk, "Neue PIN."),
            DocumentTransition.LiftLock => document.LiftLock(At, Clerk, "Sperre aufgehoben."),
            DocumentTransition.Block => document.Block("als verloren gemeldet", At, Clerk, "Gesperrt."),
            DocumentTransition.Unblock => document.Unblock(At, Clerk, "Sperre aufgehoben."),
            DocumentTransition.RecordReminder => document.RecordReminder(At, "system", "Erinnerung."),
            DocumentTransition.ErasePersonalData => document.ErasePersonalData(At, "system", "Gelöscht."),
            DocumentTransition.JoinHousehold => document.JoinHousehold("household-key", At, Clerk, "Zugeordnet."),
            DocumentTransition.RecordAuthorization => Authorize(document),
            DocumentTransition.RevokeAuthorization => document.RevokeAuthorization("holder-hash", At, Clerk, "Vollmacht widerrufen."),
            DocumentTransition.ExtendDeadline => document.ExtendDeadline(3, 10, 2, At, Clerk, "Verlängert."),
            DocumentTransition.ReportMissing => document.ReportMissing(At, Clerk, "Vermisst.", "04-04"),
            DocumentTransition.ReturnToCounter => document.ReturnToCounter(At, Clerk, "Am Schalter.", "04-04"),
            DocumentTransition.ReportFound => document.ReportFound(At, Clerk, "Wiedergefunden."),
            _ => throw new ArgumentOutOfRangeException(nameof(transition), transition, "A new step needs a line here."),
        };
    }

    private static DocumentEvent Authorize(Document document) =>
        document.RecordAuthorization("Max Mustermann", AuthorizedBirth, AuthorizedMobile, AuthorizationProof.SignedAuthorizationForm,
            "authorized-hash", At, Clerk, "Vollmacht erfasst.");

    private static Document Created() =>
        Document.Create(DocumentType.Passport, "CF1G2H3J4", "Erika Mustermann", new DateOnly(1983, 8, 12), "+491701234567",
            ["L01X00T47"], "APP-1", BoxId, needsAccessibleCompartment: false);

    private static Document Locked(Document document)
    {
        for (var i = 0; i < MaxAttempts; i++)
        {
            document.RecordFailedAttempt(MaxAttempts, At, Box, "Gesperrt.");
        }
        Assert.NotNull(document.PickupLockedAt);
        return document;
    }

    private static Compartment FreeCompartment(string label) =>
        new() { Id = Guid.NewGuid(), BoxId = BoxId, Label = label, Size = CompartmentSize.M };

    private static CompartmentLoad LoadInto(Compartment compartment) =>
        new() { Id = Guid.NewGuid(), BoxId = compartment.BoxId, CompartmentId = compartment.Id, StartedAt = At, StartedBy = Clerk };

    private static void AssertLine(
        DocumentEvent? line, Document document, DocumentEventKind kind, DateTimeOffset at, string actor, string note, string? label)
    {
        Assert.NotNull(line);
        Assert.Equal((document.Id, kind, document.State, at, actor, note, label),
            (line.DocumentId, line.Kind, line.State, line.At, line.Actor, line.Note, line.CompartmentLabel));
    }

    /// <summary>Everything the lifecycle may change, to show a refused step changed nothing.</summary>
    private sealed record Snapshot(
        DocumentState State, Guid? CompartmentId, Guid? LoadId, DateTimeOffset? ReadyAt, DateOnly? PickupDeadline, string? PinHash,
        DateTimeOffset? PinIssuedAt, int FailedPickupAttempts, DateTimeOffset? PickupLockedAt, string? BlockedReason, DateTimeOffset? PickedUpAt,
        DateTimeOffset? ReminderSentAt, DateTimeOffset? ReturnedToCounterAt, DateTimeOffset? PersonalDataErasedAt, string? HouseholdId,
        string HolderName, string DocumentNumber, Guid Id, DateTimeOffset RegisteredAt,
        string? AuthorizedName, string? AuthorizedMobileNumber, DateOnly? AuthorizedDateOfBirth, AuthorizationProof? AuthorizationProof,
        bool PickedUpByAuthorizedPerson, int DeadlineExtensions)
    {
        public static Snapshot Of(Document d) => new(
            d.State, d.CompartmentId, d.LoadId, d.ReadyAt, d.PickupDeadline, d.PinHash, d.PinIssuedAt, d.FailedPickupAttempts, d.PickupLockedAt,
            d.BlockedReason, d.PickedUpAt, d.ReminderSentAt, d.ReturnedToCounterAt, d.PersonalDataErasedAt, d.HouseholdId, d.HolderName,
            d.DocumentNumber, d.Id, d.RegisteredAt, d.AuthorizedName, d.AuthorizedMobileNumber, d.AuthorizedDateOfBirth, d.AuthorizationProof,
            d.PickedUpByAuthorizedPerson, d.DeadlineExtensions);
    }
}
