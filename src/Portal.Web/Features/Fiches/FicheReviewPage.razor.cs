using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Web.Features.Fiches;

/// <summary>O2: the Région reads a submitted fiche and what changed since the previous version, then validates or returns it.</summary>
public sealed partial class FicheReviewPage
{
    [Parameter] public Guid Id { get; set; }

    [Inject] private GetFicheReview.Handler ReviewHandler { get; set; } = null!;
    [Inject] private ValidateFiche.Handler ValidateHandler { get; set; } = null!;
    [Inject] private ReturnFiche.Handler ReturnHandler { get; set; } = null!;
    [Inject] private CurrentUserAccessor CurrentUserAccessor { get; set; } = null!;
    [Inject] private IDialogService DialogService { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private CurrentUser? _user;
    private GetFicheReview.Review? _review;
    private bool _notFound;
    private bool _busy;
    private readonly List<BreadcrumbItem> _breadcrumbs = [new("Fiches à valider", "/fiches-a-valider"), new("Examen", null, disabled: true)];

    protected override async Task OnParametersSetAsync()
    {
        _user ??= await CurrentUserAccessor.GetAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_user is null) { _notFound = true; return; }
        try
        {
            _review = await ReviewHandler.HandleAsync(new GetFicheReview(Id), _user);
        }
        catch (Exception ex) when (ex is NotFoundException or AccessDeniedException)
        {
            _notFound = true;
        }
    }

    private string Summary()
    {
        var r = _review!;
        var submitted = r.SubmittedAt is { } at ? $", soumise le {FrenchTime.ToFrance(at):dd/MM/yyyy}" : "";
        var changes = r.PreviousVersion is { } p ? $" · {r.Changes.Count} champ(s) modifié(s) depuis la version {p}" : "";
        return $"{r.OrganisationName} · version {r.Version}{submitted}{changes}";
    }

    private async Task ValidateAsync()
    {
        await DecideAsync(() => ValidateHandler.HandleAsync(new ValidateFiche(Id), _user!), "Fiche validée : elle est publiée.");
    }

    private async Task ReturnAsync()
    {
        var parameters = new DialogParameters<ReturnFicheDialog> { { d => d.Title, _review!.Fiche.Title } };
        var options = new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true };
        var dialog = await DialogService.ShowAsync<ReturnFicheDialog>("Renvoyer la fiche à l'organisme", parameters, options);
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: string comment }) return;
        await DecideAsync(() => ReturnHandler.HandleAsync(new ReturnFiche(Id, comment), _user!), "Fiche renvoyée à l'organisme avec votre commentaire.");
    }

    private async Task DecideAsync(Func<Task> decision, string success)
    {
        _busy = true;
        try
        {
            await decision();
            Snackbar.Add(success, Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        catch (NotFoundException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
            await LoadAsync();
        }
    }
}
