using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;

namespace BackOffice.UnitTests.Bridge;

/// <summary>The in-process signal a waiting page gets when the box answered its command.</summary>
public class CommandOutcomesTests
{
    [Fact]
    public async Task AWaiter_GetsTheFinishedCommand_AndNothingIsHeldAfterwards()
    {
        var outcomes = new CommandOutcomes();
        var command = new BridgeCommand { Id = Guid.NewGuid(), Status = CommandStatus.Opened, CompartmentLabel = "01-01" };
        var waiting = outcomes.WhenFinished(command.Id);
        Assert.Same(waiting, outcomes.WhenFinished(command.Id));
        Assert.False(waiting.IsCompleted);

        outcomes.Finished(command);

        Assert.Same(command, await waiting);
        Assert.Equal(0, outcomes.Waiting);
    }

    [Fact]
    public void AnAnswerNobodyWaitsFor_IsNotKept_AndAWaiterWhoGaveUpIsForgotten()
    {
        var outcomes = new CommandOutcomes();
        outcomes.Finished(new BridgeCommand { Id = Guid.NewGuid(), Status = CommandStatus.Failed, CompartmentLabel = "01-01" });
        Assert.Equal(0, outcomes.Waiting);

        var id = Guid.NewGuid();
        _ = outcomes.WhenFinished(id);
        Assert.Equal(1, outcomes.Waiting);
        outcomes.Forget(id);
        Assert.Equal(0, outcomes.Waiting);
    }
}
