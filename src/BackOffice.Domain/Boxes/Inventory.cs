namespace BackOffice.Domain.Boxes;

/// <summary>
/// An inventory (Inventur) of a box or one of its modules: a supervisor has the occupied compartments opened one at a
/// time and says for each what is inside. Kept in the database step by step, so it can be paused and resumed, also after
/// a restart. The one rule that matters at the box: the next door opens only after the box reported the last one closed.
/// </summary>
public sealed class Inventory
{
    public const int ReasonMaxLength = 200;

    /// <summary>The reason every opening of an inventory carries (service opening, in the day journal).</summary>
    public const string OpeningReason = "Inventur";

    public Guid Id { get; init; }

    public Guid BoxId { get; init; }

    /// <summary>The module counted, or null for the whole box.</summary>
    public int? Module { get; init; }

    public InventoryStatus Status { get; private set; } = InventoryStatus.Running;

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>"staff:&lt;user&gt;", as the audit trail names people.</summary>
    public string StartedBy { get; init; } = "";

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Why it is paused (by hand, box offline, no answer from the box), in German for staff.</summary>
    public string? PauseReason { get; private set; }

    /// <summary>The compartments to check, in walking order (<see cref="InventoryItem.Order"/>).</summary>
    public List<InventoryItem> Items { get; init; } = [];

    /// <summary>Concurrency token (PostgreSQL xmin): two screens cannot both take the next step.</summary>
    public uint Version { get; private set; }

    public bool IsOpen => Status is InventoryStatus.Running or InventoryStatus.Paused;

    /// <summary>The compartment being opened or open now (door not yet closed, or its finding not yet given).</summary>
    public InventoryItem? Current => Items.FirstOrDefault(i => i.Status is InventoryItemStatus.Opening or InventoryItemStatus.Open);

    public InventoryItem? Next => Items.Where(i => i.Status == InventoryItemStatus.Pending).OrderBy(i => i.Order).FirstOrDefault();

    /// <summary>A new inventory of the given occupied compartments (in walking order); an inventory of nothing is refused.</summary>
    public static Inventory Start(Guid id, Guid boxId, int? module, IReadOnlyList<InventoryItem> items, DateTimeOffset at, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new ArgumentException("An inventory needs at least one occupied compartment.", nameof(items));
        }
        var inventory = new Inventory { Id = id, BoxId = boxId, Module = module, StartedAt = at, StartedBy = actor };
        for (var i = 0; i < items.Count; i++)
        {
            items[i].InventoryId = id;
            items[i].Order = i + 1;
            inventory.Items.Add(items[i]);
        }
        return inventory;
    }

    /// <summary>
    /// The next compartment is about to be opened. Only while running, and only when the last one is done: its finding
    /// given and its door reported closed by the box.
    /// </summary>
    public InventoryItem BeginOpening(DateTimeOffset at)
    {
        Require(InventoryStep.BeginOpening, InventoryStatus.Running);
        if (Current is { } current)
        {
            throw new InventoryStepException(Status, InventoryStep.BeginOpening, $"compartment {current.CompartmentLabel} is not done");
        }
        var next = Next ?? throw new InventoryStepException(Status, InventoryStep.BeginOpening, "no compartment left");
        next.Status = InventoryItemStatus.Opening;
        next.OpeningSince = at;
        return next;
    }

    /// <summary>The box opened the door (its answer, or its door report: the box's word wins).</summary>
    public void Opened(InventoryItem item, DateTimeOffset at)
    {
        RequireItem(item, InventoryStep.Opened, InventoryItemStatus.Opening);
        item.Status = InventoryItemStatus.Open;
        item.OpenedAt = at;
    }

    /// <summary>
    /// The door did not open. A door the box refused (jammed, fault) is recorded as not opened and the walk goes on; no
    /// answer or an offline box puts it back first in line and pauses the inventory.
    /// </summary>
    public void NotOpened(InventoryItem item, bool boxFault, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RequireItem(item, InventoryStep.NotOpened, InventoryItemStatus.Opening);
        item.OpeningSince = null;
        if (boxFault)
        {
            item.Status = InventoryItemStatus.NotOpened;
            item.Note = Shorten(reason);
            FinishIfDone();
            return;
        }
        item.Status = InventoryItemStatus.Pending;
        if (Status == InventoryStatus.Running)
        {
            Pause(reason);
        }
    }

    /// <summary>What the supervisor found in the open compartment; a wrong document needs the number scanned from it.</summary>
    public void Record(InventoryItem item, InventoryFinding finding, string? foundDocumentNumber, DateTimeOffset at, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        RequireItem(item, InventoryStep.Record, InventoryItemStatus.Open);
        if (item.Finding is not null)
        {
            throw new InventoryStepException(Status, InventoryStep.Record, $"compartment {item.CompartmentLabel} was checked already");
        }
        if ((finding == InventoryFinding.WrongDocument) == string.IsNullOrWhiteSpace(foundDocumentNumber))
        {
            throw new ArgumentException("A wrong document is recorded with its number, and only a wrong document.", nameof(foundDocumentNumber));
        }
        item.Finding = finding;
        item.FoundDocumentNumber = foundDocumentNumber?.Trim();
        item.CheckedAt = at;
        item.CheckedBy = actor;
        CompleteIfClosed(item);
    }

    /// <summary>The box reported the door closed again after it opened for the inventory.</summary>
    public void DoorClosed(InventoryItem item, DateTimeOffset at)
    {
        RequireItem(item, InventoryStep.DoorClosed, InventoryItemStatus.Open);
        item.DoorClosedAt ??= at;
        CompleteIfClosed(item);
    }

    /// <summary>Pauses it (by hand, or because the box went offline); a running door keeps its state.</summary>
    public void Pause(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Require(InventoryStep.Pause, InventoryStatus.Running);
        Status = InventoryStatus.Paused;
        PauseReason = Shorten(reason);
    }

    public void Resume()
    {
        Require(InventoryStep.Resume, InventoryStatus.Paused);
        Status = InventoryStatus.Running;
        PauseReason = null;
    }

    /// <summary>Stops it before the end; what was checked stays recorded, the rest is not checked.</summary>
    public void Cancel(DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!IsOpen)
        {
            throw new InventoryStepException(Status, InventoryStep.Cancel);
        }
        Status = InventoryStatus.Cancelled;
        PauseReason = Shorten(reason);
        EndedAt = at;
    }

    /// <summary>
    /// A clerk settles a discrepancy (documents reported missing, or taken back to the counter); each one once.
    /// </summary>
    public void Resolve(InventoryItem item, InventoryResolution resolution, DateTimeOffset at, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!Items.Contains(item) || !item.IsDiscrepancy || item.Resolution is not null)
        {
            throw new InventoryStepException(Status, InventoryStep.Resolve, $"compartment {item.CompartmentLabel} has nothing to settle");
        }
        item.Resolution = resolution;
        item.ResolvedAt = at;
        item.ResolvedBy = actor;
    }

    private void CompleteIfClosed(InventoryItem item)
    {
        if (item.Finding is not null && item.DoorClosedAt is not null)
        {
            item.Status = InventoryItemStatus.Done;
            FinishIfDone(item.DoorClosedAt > item.CheckedAt ? item.DoorClosedAt.Value : item.CheckedAt!.Value);
        }
    }

    private void FinishIfDone(DateTimeOffset? at = null)
    {
        if (IsOpen && Items.All(i => i.Status is InventoryItemStatus.Done or InventoryItemStatus.NotOpened))
        {
            Status = InventoryStatus.Finished;
            PauseReason = null;
            EndedAt = at ?? Items.Max(i => i.DoorClosedAt ?? i.CheckedAt ?? i.OpeningSince ?? StartedAt);
        }
    }

    private void Require(InventoryStep step, InventoryStatus from)
    {
        if (Status != from)
        {
            throw new InventoryStepException(Status, step);
        }
    }

    private void RequireItem(InventoryItem item, InventoryStep step, InventoryItemStatus from)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!IsOpen || !Items.Contains(item) || item.Status != from)
        {
            throw new InventoryStepException(Status, step, $"compartment {item.CompartmentLabel} is {item.Status}");
        }
    }

    private static string Shorten(string text) => text.Length <= ReasonMaxLength ? text : text[..ReasonMaxLength];
}

/// <summary>One compartment of an inventory: what should be inside, and what the supervisor found.</summary>
public sealed class InventoryItem
{
    public const int NumberMaxLength = 20;

    public Guid Id { get; init; }

    public Guid InventoryId { get; internal set; }

    /// <summary>Walking order, from 1.</summary>
    public int Order { get; internal set; }

    public Guid CompartmentId { get; init; }

    public string CompartmentLabel { get; init; } = "";

    /// <summary>The documents the back office holds to be in the compartment (ready for pickup) when the inventory started.</summary>
    public List<Guid> ExpectedDocumentIds { get; init; } = [];

    public InventoryItemStatus Status { get; internal set; } = InventoryItemStatus.Pending;

    /// <summary>When its opening was asked for (server time): door reports from then on belong to it.</summary>
    public DateTimeOffset? OpeningSince { get; internal set; }

    public DateTimeOffset? OpenedAt { get; internal set; }

    public DateTimeOffset? DoorClosedAt { get; internal set; }

    public InventoryFinding? Finding { get; internal set; }

    /// <summary>The number scanned from a wrong document found inside.</summary>
    public string? FoundDocumentNumber { get; internal set; }

    public DateTimeOffset? CheckedAt { get; internal set; }

    public string? CheckedBy { get; internal set; }

    /// <summary>Why the door did not open, in German for staff.</summary>
    public string? Note { get; internal set; }

    public InventoryResolution? Resolution { get; internal set; }

    public DateTimeOffset? ResolvedAt { get; internal set; }

    public string? ResolvedBy { get; internal set; }

    /// <summary>Concurrency token (PostgreSQL xmin): two screens cannot take one step of a compartment twice.</summary>
    public uint Version { get; private set; }

    /// <summary>What the back office holds and what was found differ: a clerk must settle it.</summary>
    public bool IsDiscrepancy => Finding is InventoryFinding.Empty or InventoryFinding.WrongDocument;
}

public enum InventoryStatus
{
    Running,
    Paused,
    Finished,
    Cancelled,
}

public enum InventoryItemStatus
{
    /// <summary>Not opened yet.</summary>
    Pending,

    /// <summary>Unlock sent, waiting for the box.</summary>
    Opening,

    /// <summary>The door opened: waiting for the finding and for the door to close.</summary>
    Open,

    /// <summary>Finding given and door closed.</summary>
    Done,

    /// <summary>The box could not open the door (fault): not checked.</summary>
    NotOpened,
}

public enum InventoryFinding
{
    /// <summary>The expected documents are inside.</summary>
    Present,

    /// <summary>Nothing inside.</summary>
    Empty,

    /// <summary>Another document is inside (its number scanned).</summary>
    WrongDocument,
}

public enum InventoryResolution
{
    /// <summary>The expected documents are reported missing ("vermisst").</summary>
    ReportedMissing,

    /// <summary>The expected documents were found and taken back to the counter.</summary>
    BackToCounter,
}

/// <summary>The steps of an inventory, one per method of <see cref="Inventory"/> that changes it.</summary>
public enum InventoryStep
{
    BeginOpening,
    Opened,
    NotOpened,
    Record,
    DoorClosed,
    Pause,
    Resume,
    Cancel,
    Resolve,
}

/// <summary>A step the inventory does not allow now (e.g. the next door while the last is still open).</summary>
public sealed class InventoryStepException(InventoryStatus status, InventoryStep step, string? reason = null)
    : InvalidOperationException($"An inventory that is {status} cannot {step}{(reason is null ? "" : $": {reason}")}.")
{
    public InventoryStatus Status { get; } = status;

    public InventoryStep Step { get; } = step;
}
