using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Abstractions;
using Portal.Application.Features.Sessions;
using Portal.Application.Security;
using Portal.Application.Tests.Support;
using Portal.Domain.Common;
using Portal.Domain.Offer;
using Portal.Infrastructure.Live;
using Portal.Testing;

namespace Portal.Application.Tests.Sessions;

/// <summary>O8: the OF shows the open places of each session; every screen showing them updates live.</summary>
public sealed class UpdateOpenPlacesTests : IClassFixture<DemoDatabase>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Capacity = 12;

    private readonly DemoDatabase _fixture;
    private readonly RecordingNotifier<SessionPlacesChanged> _recording = new();

    public UpdateOpenPlacesTests(DemoDatabase fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => _recording.Dispose();

    private LiveNotifier Notifier => _recording.Notifier;

    private ConcurrentQueue<SessionPlacesChanged> Published => _recording.Published;

    private TestDatabase Database => _fixture.Database;

    private UpdateOpenPlaces.Handler Handler(IAppDbContextFactory? factory = null) => new(factory ?? Database, Notifier);

    /// <summary>A fresh open session of Julie's training body (Formapro Gironde), so that tests never share one.</summary>
    private async Task<TrainingSession> JulieSessionAsync(Action<TrainingSession>? arrange = null)
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        return await OfferBuilder.AddSessionAsync(Database, julie.OrganisationId, new DateOnly(2027, 1, 18), capacity: Capacity,
            arrange: s =>
            {
                s.Publish(DemoDatabase.SeededAt);
                arrange?.Invoke(s);
            });
    }

    [Fact]
    public async Task Update_ByTheSessionsTrainingBody_SavesTheOpenPlaces_O8()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync();

        await Handler().HandleAsync(new UpdateOpenPlaces(session.Id, 5), julie, Ct);

        var stored = await OfferBuilder.ReloadSessionAsync(Database, session.Id);
        stored.OpenPlaces.ShouldBe(5);
        stored.Capacity.ShouldBe(Capacity);
        stored.Version.ShouldBe(session.Version + 1);
    }

    [Fact]
    public async Task Update_PublishesSessionPlacesChanged_ThroughTheLiveNotifier_O8()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync();

        await Handler().HandleAsync(new UpdateOpenPlaces(session.Id, 7), julie, Ct);

        // The event carries the version the change was saved at: one more than the session had.
        Published.ShouldHaveSingleItem().ShouldBe(new SessionPlacesChanged(session.Id, julie.OrganisationId, 7, Capacity, Portal.Domain.Offer.SessionStatus.Open, session.Version + 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Capacity)]
    public async Task Update_AtTheBoundsOfTheCapacity_IsAccepted_O8(int openPlaces)
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync(s => s.SetOpenPlaces(3, heldPlaces: 0));

        await Handler().HandleAsync(new UpdateOpenPlaces(session.Id, openPlaces), julie, Ct);

        (await OfferBuilder.ReloadSessionAsync(Database, session.Id)).OpenPlaces.ShouldBe(openPlaces);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Capacity + 1)]
    public async Task Update_OutsideZeroToCapacity_IsRefused_AndNothingIsSavedOrPublished_O8(int openPlaces)
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync();

        var ex = await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(new UpdateOpenPlaces(session.Id, openPlaces), julie, Ct));

        ex.Rule.ShouldBe("O8");
        var stored = await OfferBuilder.ReloadSessionAsync(Database, session.Id);
        stored.OpenPlaces.ShouldBe(Capacity);
        stored.Version.ShouldBe(session.Version);
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task Update_OfACancelledSession_IsRefused_O8()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync(s => s.Cancel());

        var ex = await Should.ThrowAsync<DomainException>(() => Handler().HandleAsync(new UpdateOpenPlaces(session.Id, 4), julie, Ct));

        ex.Rule.ShouldBe("O8");
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task Update_OfAnotherTrainingBodysSession_IsNotFound_AndChangesNothing()
    {
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var thomas = await _fixture.UserAsync(TestUsers.Thomas);
        var thomasSession = await OfferBuilder.AddSessionAsync(Database, thomas.OrganisationId, new DateOnly(2027, 1, 25), capacity: Capacity,
            arrange: s => s.Publish(DemoDatabase.SeededAt));

        await Should.ThrowAsync<NotFoundException>(() => Handler().HandleAsync(new UpdateOpenPlaces(thomasSession.Id, 2), julie, Ct));

        var stored = await OfferBuilder.ReloadSessionAsync(Database, thomasSession.Id);
        stored.OpenPlaces.ShouldBe(Capacity);
        stored.Version.ShouldBe(thomasSession.Version);
        Published.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(TestUsers.Camille)]
    [InlineData(TestUsers.Sophie)]
    [InlineData(TestUsers.Claire)]
    [InlineData(TestUsers.Admin)]
    [InlineData(TestUsers.Aurelie)]
    public async Task Update_ByAnyoneButATrainingBody_IsRefused(string local)
    {
        var user = await _fixture.UserAsync(local);
        var session = await JulieSessionAsync();

        await Should.ThrowAsync<AccessDeniedException>(() => Handler().HandleAsync(new UpdateOpenPlaces(session.Id, 2), user, Ct));

        (await OfferBuilder.ReloadSessionAsync(Database, session.Id)).OpenPlaces.ShouldBe(Capacity);
        Published.ShouldBeEmpty();
    }

    [Fact]
    public async Task Update_LosingARaceAgainstAnotherWriter_IsRefused_AndTheWinnersValueStays_O8()
    {
        // Reproduces the race deterministically: the first handler has loaded the session (version v) and
        // changed it; before it saves, a second handler loads the same version, saves, and publishes.
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync();
        var otherWriterRan = false;
        var slow = Handler(new GatedDbContextFactory(Database, async () =>
        {
            if (otherWriterRan) return;
            otherWriterRan = true;
            await Handler().HandleAsync(new UpdateOpenPlaces(session.Id, 9), julie, Ct);
        }));

        var ex = await Should.ThrowAsync<DomainException>(() => slow.HandleAsync(new UpdateOpenPlaces(session.Id, 4), julie, Ct));

        otherWriterRan.ShouldBeTrue();
        ex.Rule.ShouldBe("O8");
        ex.Message.ShouldContain("rechargez");
        var stored = await OfferBuilder.ReloadSessionAsync(Database, session.Id);
        stored.OpenPlaces.ShouldBe(9);
        stored.Version.ShouldBe(session.Version + 1);
        Published.Select(e => e.OpenPlaces).ShouldBe([9]);
    }

    [Fact]
    public async Task Update_TwoConcurrentWritersOfTheSameVersion_ExactlyOneWins_O8()
    {
        // Both handlers load the session before either saves (they meet at SaveChanges), then both save.
        var julie = await _fixture.UserAsync(TestUsers.Julie);
        var session = await JulieSessionAsync();
        var arrived = 0;
        var bothLoaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = new GatedDbContextFactory(Database, async () =>
        {
            if (Interlocked.Increment(ref arrived) == 2) bothLoaded.SetResult();
            await bothLoaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        });

        var writers = new[] { 3, 8 }
            .Select(places => Task.Run(async () =>
            {
                try
                {
                    await Handler(gated).HandleAsync(new UpdateOpenPlaces(session.Id, places), julie, Ct);
                    return (places, refused: (DomainException?)null);
                }
                catch (DomainException ex)
                {
                    return (places, refused: ex);
                }
            }))
            .ToList();
        var results = await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        results.Count(r => r.refused is null).ShouldBe(1);
        results.Single(r => r.refused is not null).refused!.Rule.ShouldBe("O8");
        var winner = results.Single(r => r.refused is null).places;
        var stored = await OfferBuilder.ReloadSessionAsync(Database, session.Id);
        stored.OpenPlaces.ShouldBe(winner);
        stored.Version.ShouldBe(session.Version + 1);
        Published.Select(e => e.OpenPlaces).ShouldBe([winner]);
    }
}
