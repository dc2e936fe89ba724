using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Abstractions;
using Portal.Application.Features.Notifications;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Mail;

namespace Portal.IntegrationTests;

/// <summary>S6 wiring: the mail job is scheduled every minute and resolves in the host; without an SMTP host, mail goes to the pickup folder.</summary>
[Collection(PortalCollection.Name)]
public sealed class MailSetupTests(PortalFactory factory)
{
    [Fact]
    public void S6_EveryScheduledJob_ResolvesInTheHost_AndMailDefaultsToThePickupFolder()
    {
        using var scope = factory.Services.CreateScope();
        foreach (var entry in JobSchedule.Entries)
            scope.ServiceProvider.GetRequiredService(entry.JobType).ShouldNotBeNull();
        JobSchedule.Entries.Single(e => e.JobType == typeof(SendPrescriberMailsJob)).Cron.ShouldBe("* * * * *");

        var sender = factory.Services.GetRequiredService<IMailSender>().ShouldBeOfType<PickupFolderMailSender>();
        Path.GetFileName(sender.Directory).ShouldBe("mail");
    }
}
