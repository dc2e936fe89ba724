using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Domain.Common;

namespace Portal.Web.Features.Fiches;

/// <summary>
/// O2, S12: the OF writes a fiche action. The form checks the fields as the server does (same rules, same French
/// messages); whatever the server refuses is shown next to the fields, and what was typed stays.
/// </summary>
public sealed partial class FicheEditorPage
{
    [Parameter] public Guid? Id { get; set; }

    [Inject] private GetFicheForEdit.Handler GetHandler { get; set; } = null!;
    [Inject] private SaveFiche.Handler SaveHandler { get; set; } = null!;
    [Inject] private CurrentUserAccessor CurrentUserAccessor { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private CurrentUser? _user;
    private FicheFormModel? _model;
    private GetFicheForEdit.Details? _details;
    private Dictionary<string, string> _errors = [];
    private string? _refusal;
    private bool _notFound;
    private bool _saving;
    private List<BreadcrumbItem> _breadcrumbs = [];

    private string Heading => Id is null ? "Nouvelle fiche action" : _model?.Title is { Length: > 0 } t ? t : "Fiche action";

    private bool Editable => _details?.CanEdit ?? true;

    private static string Labels(string field) => SaveFiche.FieldLabels.GetValueOrDefault(field, field);

    protected override async Task OnParametersSetAsync()
    {
        _user ??= await CurrentUserAccessor.GetAsync();
        _errors = [];
        _refusal = null;
        _breadcrumbs = [new("Mes fiches", "/fiches"), new(Id is null ? "Nouvelle fiche" : "Fiche", null, disabled: true)];
        if (_user is null) { _notFound = true; return; }
        if (Id is not { } id)
        {
            _details = null;
            _model = new FicheFormModel();
            return;
        }
        try
        {
            _details = await GetHandler.HandleAsync(new GetFicheForEdit(id), _user);
            _model = FicheFormModel.From(_details);
        }
        catch (Exception ex) when (ex is NotFoundException or AccessDeniedException)
        {
            _notFound = true;
        }
    }

    private async Task SaveAsync(bool submit)
    {
        if (_model is null || _user is null) return;
        var command = _model.ToCommand(submit);
        _refusal = null;
        // The same checks as the server's, at once and without a round trip.
        _errors = command.Validate();
        if (_errors.Count > 0) return;
        _saving = true;
        try
        {
            var result = await SaveHandler.HandleAsync(command, _user);
            if (!result.Succeeded)
            {
                _errors = new Dictionary<string, string>(result.Errors);
                return;
            }
            Snackbar.Add(submit ? "Fiche enregistrée et soumise à la Région." : "Brouillon enregistré.", Severity.Success);
            if (submit) Navigation.NavigateTo("/fiches");
            else if (Id is null) Navigation.NavigateTo($"/fiches/{result.FicheId}");
            else
            {
                _details = await GetHandler.HandleAsync(new GetFicheForEdit(Id.Value), _user);
            }
        }
        catch (DomainException ex)
        {
            _refusal = ex.Message;
        }
        catch (NotFoundException ex)
        {
            _refusal = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }
}
