namespace BackOffice.Application.Messaging;

/// <summary>An SMS the development sender "sent".</summary>
public sealed record DevelopmentSms(DateTimeOffset At, string Recipient, string Text, string MessageId);

/// <summary>
/// Development only (<c>Sms:Sender=Development</c>; refused elsewhere at start): accepts every message and keeps the
/// last <see cref="Capacity"/> in memory, so a demo user reads the PIN on the SMS page instead of a phone.
/// </summary>
/// <remarks>Singleton; thread-safe.</remarks>
public sealed class DevelopmentSmsSender(TimeProvider timeProvider) : ISmsSender
{
    public const int Capacity = 200;

    private readonly Lock _gate = new();
    private readonly Queue<DevelopmentSms> _messages = new();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<DevelopmentSms> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.Reverse().ToList();
            }
        }
    }

    /// <summary>Raised for every message handed to this sender (the benchmark times the way there).</summary>
    public event Action<DevelopmentSms>? Accepted;

    public Task<SmsSendResult> SendAsync(string recipientE164, string text, CancellationToken cancellationToken)
    {
        var message = new DevelopmentSms(timeProvider.GetUtcNow(), recipientE164, text, $"dev-{Guid.NewGuid():N}");
        lock (_gate)
        {
            _messages.Enqueue(message);
            while (_messages.Count > Capacity)
            {
                _messages.Dequeue();
            }
        }
        Accepted?.Invoke(message);
        return Task.FromResult(SmsSendResult.Accepted(message.MessageId));
    }
}
