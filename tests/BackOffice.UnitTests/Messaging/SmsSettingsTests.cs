using BackOffice.Application.Messaging;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace BackOffice.UnitTests.Messaging;

public class SmsSettingsTests
{
    [Fact]
    public void DevelopmentSender_OutsideDevelopment_IsRefusedWithAClearMessage()
    {
        var result = new SmsOptionsValidator(new Environment("Production")).Validate(null, new SmsOptions { Sender = SmsSenderKind.Development });

        Assert.True(result.Failed);
        Assert.Contains("Sms:Sender=Development", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Production", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentSender_InDevelopment_IsFine() =>
        Assert.True(new SmsOptionsValidator(new Environment("Development")).Validate(null, new SmsOptions { Sender = SmsSenderKind.Development }).Succeeded);

    [Fact]
    public void Defaults_AreValid() =>
        Assert.True(new SmsOptionsValidator(new Environment("Production")).Validate(null, new SmsOptions()).Succeeded);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 30)]
    [InlineData(3, 120)]
    [InlineData(4, 600)]
    [InlineData(5, 1800)]
    [InlineData(9, 1800)]
    public void RetryDelay_GrowsAndThenStays(int failedAttempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SmsOptions.RetryDelay(failedAttempts));

    [Fact]
    public async Task DevelopmentSender_KeepsTheLast200_NewestFirst()
    {
        var sender = new DevelopmentSmsSender(TimeProvider.System);

        for (var i = 0; i < 250; i++)
        {
            var result = await sender.SendAsync("+4917012345678", $"Nachricht {i}", TestContext.Current.CancellationToken);
            Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
        }

        Assert.Equal(DevelopmentSmsSender.Capacity, sender.Messages.Count);
        Assert.Equal("Nachricht 249", sender.Messages[0].Text);
        Assert.Equal("Nachricht 50", sender.Messages[^1].Text);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "BackOffice.Web";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
