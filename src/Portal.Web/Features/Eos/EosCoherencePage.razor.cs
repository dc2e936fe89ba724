using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Application.Features.Eos;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Eos;

namespace Portal.Web.Features.Eos;

/// <summary>
/// S11: the screen's state. The anomalies are read one page at a time (<see cref="LoadPageAsync"/>, MudTable's
/// ServerData): the import's summary and the counts per kind come with each page; the circuit never holds the list.
/// </summary>
public partial class EosCoherencePage
{
    public const int PageSize = 50;

    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");
    private GetEosCoherence.Result? _result;
    private GetEosCoherence.Result? _pending;
    private MudTable<GetEosCoherence.Anomaly>? _table;
    private CurrentUser? _user;
    private EosAnomalyKind? _filter;
    private string? _error;
    private bool _busy;

    public static string ExportUrl(Guid importId) => $"/api/region/coherence-eos/{importId}/anomalies.csv";

    private static string Date(DateOnly? date) => date?.ToString("dd/MM/yyyy", French) ?? "–";

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUserAccessor.GetAsync();
        if (_user is not null) _pending = _result = await Reader.HandleAsync(new GetEosCoherence(Take: PageSize), _user);
    }

    /// <summary>MudTable's ServerData: the page asked for, under the kind filter, from SQL.</summary>
    private async Task<TableData<GetEosCoherence.Anomaly>> LoadPageAsync(TableState state, CancellationToken cancellationToken)
    {
        if (_user is null || _result?.Import is not { } import) return new TableData<GetEosCoherence.Anomaly> { Items = [], TotalItems = 0 };
        // The first page once from the initial load (no second query), then each page from SQL.
        var pending = _pending;
        _pending = null;
        _result = pending is not null && pending.Import?.Id == import.Id && _filter is null && state.Page == 0 && state.PageSize == PageSize
            ? pending
            : await Reader.HandleAsync(new GetEosCoherence(import.Id, _filter, state.Page * state.PageSize, state.PageSize), _user, cancellationToken);
        return new TableData<GetEosCoherence.Anomaly> { Items = _result.Anomalies, TotalItems = _result.Total };
    }

    private async Task FilterAsync(EosAnomalyKind? kind)
    {
        _filter = kind;
        if (_table is not null) await _table.ReloadServerData();
    }

    /// <summary>O1: the Région records the prescription made outside the portal for an entry EOS declares without one.</summary>
    private async Task RecordOfflineAsync(GetEosCoherence.Anomaly anomaly)
    {
        if (_user is null) return;
        var (first, last) = OfflineEntryDialog.SplitEosName(anomaly.CandidateName);
        var dialog = await Dialogs.ShowAsync<OfflineEntryDialog>("Entrée prescrite hors portail", new DialogParameters<OfflineEntryDialog>
        {
            { d => d.User, _user },
            { d => d.SessionReference, anomaly.SessionReference },
            { d => d.SessionLabel, $"{anomaly.SessionReference} – {anomaly.TrainingTitle}" },
            { d => d.FirstName, first },
            { d => d.LastName, last },
            { d => d.BirthDate, anomaly.BirthDate },
            { d => d.FranceTravailId, anomaly.FranceTravailId },
            { d => d.EntryDate, anomaly.EosEntryDate },
        });
        var result = await dialog.Result;
        if (result is { Canceled: false })
            Snackbar.Add($"Entrée de {first} {last} enregistrée avec sa prescription hors portail : le prochain import ne la signalera plus.", Severity.Success);
    }

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null || _user is null) return;
        _error = null;
        if (file.Size > ImportEos.MaxBytes)
        {
            _error = $"Le fichier « {file.Name} » dépasse 5 Mo : exportez une période plus courte depuis EOS.";
            return;
        }
        _busy = true;
        try
        {
            using var buffer = new MemoryStream();
            await using (var content = file.OpenReadStream(ImportEos.MaxBytes)) await content.CopyToAsync(buffer);
            await Importer.HandleAsync(new ImportEos(file.Name, buffer.ToArray()), _user);
            _filter = null;
            // The new import's table (keyed by the import) takes this first page.
            _pending = _result = await Reader.HandleAsync(new GetEosCoherence(Take: PageSize), _user);
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
        catch (AccessDeniedException ex)
        {
            _error = ex.Message;
        }
        catch (IOException)
        {
            _error = "Le fichier n'a pas pu être reçu en entier : réessayez.";
        }
        finally
        {
            _busy = false;
        }
    }
}
