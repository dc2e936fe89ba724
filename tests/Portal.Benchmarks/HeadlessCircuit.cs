using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Benchmarks;

/// <summary>
/// A headless Blazor Server tab for .NET 10's ComponentHub: GETs the prerendered page with the login
/// cookie, reads its server component markers, opens /_blazor over WebSockets with the "blazorpack"
/// (MessagePack) protocol, StartCircuit, UpdateRootComponents with the markers, acknowledges every render
/// batch (OnRenderCompleted) and answers every JS interop call with an empty success. It does not
/// interpret render batches: it looks for a UTF-8 string in them and timestamps the first batch carrying it.
/// </summary>
public sealed partial class HeadlessCircuit(Uri baseUri, CookieContainer cookies) : IAsyncDisposable
{
    private HubConnection? _hub;
    private readonly TaskCompletionSource _firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _awaited;
    private TaskCompletionSource<long>? _seen;

    public long Batches;

    public string? Error { get; private set; }

    public async Task StartAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var page = new Uri(baseUri, path);
        var html = await http.GetStringAsync(page, cancellationToken);
        var markers = ComponentMarker().Matches(html).Select(m => m.Groups[1].Value)
            .Where(json => json.Contains("\"descriptor\"", StringComparison.Ordinal)).ToList();
        if (markers.Count == 0) throw new InvalidOperationException($"{path}: no interactive server component in the page (not logged in?).");
        var state = ComponentState().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseUri, "_blazor"), o =>
        {
            o.Cookies = cookies;
            o.Transports = HttpTransportType.WebSockets;
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPack>();
        var hub = builder.Build();
        _hub = hub;
        hub.ServerTimeout = TimeSpan.FromMinutes(5);
        hub.HandshakeTimeout = TimeSpan.FromMinutes(2);
        hub.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            var at = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref Batches);
            if (_awaited is { } awaited && batch.AsSpan().IndexOf(awaited) >= 0) _seen?.TrySetResult(at);
            _firstRender.TrySetResult();
            try { await hub.SendAsync("OnRenderCompleted", batchId, null); }
            catch (Exception e) when (e is not OutOfMemoryException) { Error ??= e.Message; }
        });
        // .NET 10: (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType); handle 0 = no answer expected.
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            var handle = (long)args[0]!;
            if (handle == 0) return;
            try { await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,null]"); }
            catch (Exception e) when (e is not OutOfMemoryException) { Error ??= e.Message; }
        });
        hub.On("JS.AttachComponent", [typeof(int), typeof(string)], _ => Task.CompletedTask);
        hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        hub.On("JS.EndInvokeDotNet", [typeof(string)], _ => Task.CompletedTask);
        hub.On<string>("JS.Error", message => { Error ??= "JS.Error: " + message; _firstRender.TrySetResult(); });
        hub.Closed += e => { Error ??= "closed" + (e is null ? "" : ": " + e.Message); return Task.CompletedTask; };

        await hub.StartAsync(cancellationToken);
        var circuitId = await hub.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), page.ToString(), "[]", "", cancellationToken);
        if (string.IsNullOrEmpty(circuitId)) throw new InvalidOperationException("StartCircuit refused.");
        var operations = markers.Select((json, i) => new { type = "add", ssrComponentId = i + 1, marker = JsonDocument.Parse(json).RootElement });
        await hub.SendAsync("UpdateRootComponents", JsonSerializer.Serialize(new { batchId = 1, operations }), state, cancellationToken);
        await _firstRender.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        if (Error is not null) throw new InvalidOperationException(Error);
    }

    /// <summary>From now on, the first render batch containing <paramref name="text"/> completes the task with its Stopwatch timestamp.</summary>
    public Task<long> Await(string text)
    {
        _seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaited = System.Text.Encoding.UTF8.GetBytes(text);
        return _seen.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex ComponentMarker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex ComponentState();

    /// <summary>Blazor's hub protocol: SignalR's MessagePack protocol under the name "blazorpack".</summary>
    private sealed class BlazorPack : IHubProtocol
    {
        private readonly MessagePackHubProtocol _messagePack = new();

        public string Name => "blazorpack";

        public int Version => _messagePack.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => _messagePack.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _messagePack.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _messagePack.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _messagePack.GetMessageBytes(message);
    }
}
