using BackOffice.Domain.Boxes;

namespace BackOffice.UnitTests.Domain;

/// <summary>A compartment's lifecycle without a database: every step from every state, the check mark and the door.</summary>
public class CompartmentLifecycleTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The state each step may start from and the state it ends in, written out here rather than read from the domain.</summary>
    private static readonly Dictionary<CompartmentTransition, (CompartmentState From, CompartmentState To)> Steps = new()
    {
        [CompartmentTransition.ReserveForLoading] = (CompartmentState.Free, CompartmentState.ReservedForLoading),
        [CompartmentTransition.ResumeLoading] = (CompartmentState.Free, CompartmentState.ReservedForLoading),
        [CompartmentTransition.ReleaseReservation] = (CompartmentState.ReservedForLoading, CompartmentState.Free),
        [CompartmentTransition.Occupy] = (CompartmentState.ReservedForLoading, CompartmentState.Occupied),
        [CompartmentTransition.Vacate] = (CompartmentState.Occupied, CompartmentState.Free),
        [CompartmentTransition.TakeOutOfService] = (CompartmentState.Free, CompartmentState.OutOfService),
        [CompartmentTransition.ReturnToService] = (CompartmentState.OutOfService, CompartmentState.Free),
    };

    public static TheoryData<CompartmentState, CompartmentTransition> EveryStateAndStep()
    {
        var data = new TheoryData<CompartmentState, CompartmentTransition>();
        foreach (var state in Enum.GetValues<CompartmentState>())
        {
            foreach (var transition in Enum.GetValues<CompartmentTransition>())
            {
                data.Add(state, transition);
            }
        }
        return data;
    }

    [Fact]
    public void Steps_NameEveryStep() =>
        Assert.Equal(Enum.GetValues<CompartmentTransition>().Order(), Steps.Keys.Order());

    [Theory]
    [MemberData(nameof(EveryStateAndStep))]
    public void Step_FromEveryState_EndsWhereTheTableSays_OrIsRefusedAndChangesNothing(CompartmentState state, CompartmentTransition transition)
    {
        var compartment = InState(state);
        var reason = compartment.OutOfServiceReason;

        if (Steps[transition].From == state)
        {
            Take(compartment, transition);

            Assert.Equal(Steps[transition].To, compartment.State);
        }
        else
        {
            var refused = Assert.Throws<CompartmentTransitionException>(() => Take(compartment, transition));

            Assert.Equal((state, transition), (refused.From, refused.Transition));
            Assert.Equal((state, reason), (compartment.State, compartment.OutOfServiceReason));
        }
    }

    [Fact]
    public void ReserveForLoading_OfACompartmentWaitingForACheck_IsRefused()
    {
        var compartment = InState(CompartmentState.Free);
        compartment.RequireCheck(At, "Tür war offen.");

        var refused = Assert.Throws<CompartmentTransitionException>(compartment.ReserveForLoading);

        Assert.Equal((CompartmentState.Free, CompartmentTransition.ReserveForLoading), (refused.From, refused.Transition));
        Assert.Equal(CompartmentState.Free, compartment.State);
    }

    [Fact]
    public void ResumeLoading_OfACompartmentWaitingForACheck_ReservesIt_AndKeepsTheCheck()
    {
        var compartment = InState(CompartmentState.Free);
        compartment.RequireCheck(At, "Tür war offen.");

        compartment.ResumeLoading();

        Assert.Equal(CompartmentState.ReservedForLoading, compartment.State);
        Assert.True(compartment.NeedsCheck);
    }

    [Fact]
    public void TakeOutOfService_KeepsTheReason_AndReturnToServiceDropsIt()
    {
        var compartment = InState(CompartmentState.Free);

        compartment.TakeOutOfService("Tür klemmt");
        Assert.Equal((CompartmentState.OutOfService, "Tür klemmt"), (compartment.State, compartment.OutOfServiceReason));

        compartment.ReturnToService();
        Assert.Equal((CompartmentState.Free, (string?)null), (compartment.State, compartment.OutOfServiceReason));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void TakeOutOfService_WithoutAReason_IsRefused(string reason)
    {
        var compartment = InState(CompartmentState.Free);

        Assert.ThrowsAny<ArgumentException>(() => compartment.TakeOutOfService(reason));
        Assert.Equal(CompartmentState.Free, compartment.State);
    }

    [Fact]
    public void TakeOutOfService_WithAReasonLongerThanTheColumn_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InState(CompartmentState.Free).TakeOutOfService(new string('x', Compartment.ReasonMaxLength + 1)));

    [Theory]
    [MemberData(nameof(EveryState))]
    public void RequireCheck_InAnyState_KeepsTheFirstReasonUntilCleared(CompartmentState state)
    {
        var compartment = InState(state);

        compartment.RequireCheck(At, "Erster Grund.");
        compartment.RequireCheck(At.AddMinutes(5), "Zweiter Grund.");

        Assert.Equal((At, "Erster Grund.", true), (compartment.CheckRequiredSince, compartment.CheckReason, compartment.NeedsCheck));
        compartment.ClearCheck();
        Assert.Equal(((DateTimeOffset?)null, (string?)null, false), (compartment.CheckRequiredSince, compartment.CheckReason, compartment.NeedsCheck));
        Assert.Equal(state, compartment.State);
    }

    [Fact]
    public void RequireCheck_CutsALongReasonToTheColumn()
    {
        var compartment = InState(CompartmentState.Occupied);

        compartment.RequireCheck(At, new string('x', Compartment.ReasonMaxLength + 50));

        Assert.Equal(Compartment.ReasonMaxLength, compartment.CheckReason!.Length);
    }

    [Theory]
    [MemberData(nameof(EveryState))]
    public void ReportDoor_InAnyState_RecordsWhatTheBoxSaid(CompartmentState state)
    {
        var compartment = InState(state);

        compartment.ReportDoor(DoorState.Open, At);

        Assert.Equal((DoorState.Open, (DateTimeOffset?)At, state), (compartment.DoorState, compartment.DoorStateAt, compartment.State));
    }

    public static TheoryData<CompartmentState> EveryState() => new(Enum.GetValues<CompartmentState>());

    /// <summary>A compartment brought into <paramref name="state"/> the way the services bring it there.</summary>
    private static Compartment InState(CompartmentState state)
    {
        var compartment = new Compartment { Id = Guid.NewGuid(), BoxId = Guid.NewGuid(), Label = "03-07", Size = CompartmentSize.M };
        switch (state)
        {
            case CompartmentState.Free:
                break;
            case CompartmentState.ReservedForLoading:
                compartment.ReserveForLoading();
                break;
            case CompartmentState.Occupied:
                compartment.ReserveForLoading();
                compartment.Occupy();
                break;
            case CompartmentState.OutOfService:
                compartment.TakeOutOfService("Tür klemmt");
                break;
            default:
                // A new state needs a way here, and its steps in the table.
                throw new ArgumentOutOfRangeException(nameof(state), state, "No way to this state yet.");
        }
        Assert.Equal(state, compartment.State);
        return compartment;
    }

    private static void Take(Compartment compartment, CompartmentTransition transition)
    {
        switch (transition)
        {
            case CompartmentTransition.ReserveForLoading:
                compartment.ReserveForLoading();
                break;
            case CompartmentTransition.ResumeLoading:
                compartment.ResumeLoading();
                break;
            case CompartmentTransition.ReleaseReservation:
                compartment.ReleaseReservation();
                break;
            case CompartmentTransition.Occupy:
                compartment.Occupy();
                break;
            case CompartmentTransition.Vacate:
                compartment.Vacate();
                break;
            case CompartmentTransition.TakeOutOfService:
                compartment.TakeOutOfService("Schloss defekt");
                break;
            case CompartmentTransition.ReturnToService:
                compartment.ReturnToService();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(transition), transition, "A new step needs a line here.");
        }
    }
}
