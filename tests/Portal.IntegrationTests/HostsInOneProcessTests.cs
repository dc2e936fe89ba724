using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Identity;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #16 (3): Hangfire keeps process-wide statics (its log provider). Several portal hosts in one process, as the
/// end-to-end run has (the main server, and two PostgreSQL servers that start and stop beside it), must not break each
/// other: in CI a page that enqueues a job answered 500 once the other hosts had stopped (ObjectDisposedException from
/// the stopped host's logger factory).
/// </summary>
public sealed class HostsInOneProcessTests
{
    [Fact]
    public async Task AnotherHostStopped_ThisHostStillCreatesItsJobClient_AndEnqueues_Issue16_3()
    {
        await using var first = new PortalFactory();
        // The first host has configured Hangfire (its pages render), then a second host configures it and stops.
        first.Services.GetRequiredService<IGlobalConfiguration>();
        await using (var second = new PortalFactory())
            second.Services.GetRequiredService<IBackgroundJobClient>();

        var client = first.Services.GetRequiredService<IBackgroundJobClient>();
        var id = client.Enqueue<PurgeUserSessionsJob>(job => job.RunAsync(CancellationToken.None));

        id.ShouldNotBeNullOrEmpty();
        // Each host has its own storage, not the process-wide one of the host configured last.
        first.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount("default").ShouldBe(1);
    }
}
