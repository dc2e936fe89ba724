using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Portal.Application.Abstractions;
using Portal.Testing;
using Portal.Web.Components.Layout;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Live;

/// <summary>
/// ADR 0023: when live events may have been missed (the backplane reconnected, or another server's event was too large),
/// the layout rebuilds the open page: each of its components is created anew and reads its data again.
/// </summary>
public sealed class LiveResyncScopeTests(DemoDatabase demo) : PortalTestContext(demo), IClassFixture<DemoDatabase>
{
    private IRenderedComponent<MainLayout> RenderLayoutWith(Creations creations) =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<CountingPage>(0);
            b.AddAttribute(1, nameof(CountingPage.Creations), creations);
            b.CloseComponent();
        })));

    [Fact]
    public async Task LiveResync_RebuildsThePage_WhichInitialisesAgain()
    {
        var creations = new Creations();
        var cut = RenderLayoutWith(creations);
        cut.Find("#page-body").TextContent.ShouldBe("Page créée 1 fois");

        await Notifier.PublishAsync(new LiveResync("Connexion aux mises à jour en direct rétablie."), Cancellation);

        cut.WaitForAssertion(() => cut.Find("#page-body").TextContent.ShouldBe("Page créée 2 fois"));
        creations.Count.ShouldBe(2);
        // The first instance was disposed (its subscriptions with it).
        creations.Disposed.ShouldBe(1);
    }

    [Fact]
    public async Task AnotherLiveEvent_DoesNotRebuildThePage()
    {
        var creations = new Creations();
        var cut = RenderLayoutWith(creations);

        await Notifier.PublishAsync(new SessionPlacesChanged(Guid.NewGuid(), Guid.NewGuid(), 1, 10), Cancellation);
        await Notifier.PublishAsync(new ConvocationWarningsChanged(Guid.NewGuid()), Cancellation);
        await Notifier.DrainAsync();

        cut.Find("#page-body").TextContent.ShouldBe("Page créée 1 fois");
        creations.Count.ShouldBe(1);
        creations.Disposed.ShouldBe(0);
    }

    [Fact]
    public void AStaticPage_HoldsNoResyncSubscription()
    {
        // Without a circuit nothing could re-render: no subscription is left behind.
        SetRendererInfo(new RendererInfo("Static", false));
        RenderLayoutWith(new Creations());

        Notifier.SubscriberCount<LiveResync>().ShouldBe(0);
    }

    [Fact]
    public void AnInteractivePage_HoldsOneResyncSubscription()
    {
        RenderLayoutWith(new Creations());

        Notifier.SubscriberCount<LiveResync>().ShouldBe(1);
    }

    public sealed class Creations
    {
        public int Count;
        public int Disposed;
    }

    private sealed class CountingPage : ComponentBase, IDisposable
    {
        private int _number;

        [Parameter] public Creations Creations { get; set; } = default!;

        protected override void OnInitialized() => _number = Interlocked.Increment(ref Creations.Count);

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "id", "page-body");
            builder.AddContent(2, $"Page créée {_number} fois");
            builder.CloseElement();
        }

        public void Dispose() => Interlocked.Increment(ref Creations.Disposed);
    }
}
