using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Portal.Application.Features.Order;
using Portal.Application.Security;
using Portal.Domain.Common;
using Portal.Domain.Order;

namespace Portal.Web.Features.Order;

/// <summary>The page orchestrates; the handlers decide (authorization, O3 rules, type and size checks).</summary>
public sealed partial class RegionalOrderPage
{
    [Inject] private GetRegionalOrder.Handler OrderHandler { get; set; } = null!;
    [Inject] private AddTenderDocument.Handler AddDocumentHandler { get; set; } = null!;
    [Inject] private DeclareLotUnsuccessful.Handler UnsuccessfulHandler { get; set; } = null!;
    [Inject] private GetAwardOptions.Handler AwardOptionsHandler { get; set; } = null!;
    [Inject] private CurrentUserAccessor CurrentUserAccessor { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private GetRegionalOrder.Result? _order;
    private CurrentUser? _user;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        _user = await CurrentUserAccessor.GetAsync();
        if (_user is null) return;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _order = await OrderHandler.HandleAsync(new GetRegionalOrder(), _user!);
        }
        catch (AccessDeniedException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
    }

    private string Counts()
    {
        var lots = _order!.Lots;
        int Of(LotStatus s) => lots.Count(l => l.Status == s);
        return $"{lots.Count} lot(s) · {Of(LotStatus.Open)} en cours · {Of(LotStatus.Unsuccessful)} infructueux · {Of(LotStatus.Awarded)} attribué(s)";
    }

    private async Task CreateLotAsync()
    {
        var parameters = new DialogParameters<CreateLotDialog>
        {
            { d => d.User, _user! },
            { d => d.Territories, _order!.Territories },
        };
        var dialog = await Dialogs.ShowAsync<CreateLotDialog>("Nouveau lot", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled) return;
        Snackbar.Add("Lot publié. Déposez maintenant son dossier de consultation et ses annexes.", Severity.Success);
        await LoadAsync();
    }

    /// <summary>The upload becomes a stream, a name and a declared type here: no UI type below the Web project.</summary>
    private async Task UploadAsync(GetRegionalOrder.Lot lot, TenderDocumentKind kind, IBrowserFile? file)
    {
        if (file is null) return;
        if (file.Size > TenderDocument.MaxSize)
        {
            Snackbar.Add(AddTenderDocument.TooLarge, Severity.Warning);
            return;
        }
        _busy = true;
        try
        {
            await using var stream = file.OpenReadStream(TenderDocument.MaxSize);
            var added = await AddDocumentHandler.HandleAsync(new AddTenderDocument(lot.Id, kind, stream, file.Name, file.ContentType), _user!);
            Snackbar.Add($"« {added.FileName} » est en ligne ({kind.Label()}).", Severity.Success);
            await LoadAsync();
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        catch (IOException)
        {
            Snackbar.Add(AddTenderDocument.TooLarge, Severity.Warning);
        }
        catch (Exception ex) when (ex is AccessDeniedException or NotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeclareUnsuccessfulAsync(GetRegionalOrder.Lot lot)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Déclarer le lot infructueux",
            $"Le lot « {lot.Title} » sera déclaré infructueux. Ses annexes restent en ligne pour les prescripteurs ; vous pourrez encore les mettre à jour.",
            yesText: "Déclarer infructueux", cancelText: "Annuler");
        if (confirmed != true) return;
        _busy = true;
        try
        {
            await UnsuccessfulHandler.HandleAsync(new DeclareLotUnsuccessful(lot.Id), _user!);
            Snackbar.Add($"Le lot « {lot.Title} » est déclaré infructueux.", Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        catch (Exception ex) when (ex is AccessDeniedException or NotFoundException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }

    private async Task AwardAsync(GetRegionalOrder.Lot lot)
    {
        var options = await AwardOptionsHandler.HandleAsync(new GetAwardOptions(), _user!);
        var parameters = new DialogParameters<AwardLotDialog>
        {
            { d => d.User, _user! },
            { d => d.Lot, lot },
            { d => d.Options, options },
        };
        var dialog = await Dialogs.ShowAsync<AwardLotDialog>("Attribuer le lot", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is null || result.Canceled) return;
        Snackbar.Add($"Attribution du lot « {lot.Title} » enregistrée : la fiche action remplace les annexes pour les prescripteurs.", Severity.Success);
        await LoadAsync();
    }
}
