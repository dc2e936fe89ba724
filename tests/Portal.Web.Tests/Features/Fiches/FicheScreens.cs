using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Features.Fiches;
using Portal.Application.Security;
using Portal.Domain.Offer;

namespace Portal.Web.Tests.Features.Fiches;

/// <summary>Helpers of the fiche screens' tests: buttons by their text, field errors, enum names, commands.</summary>
internal static partial class FicheScreens
{
    public static IElement ButtonIn<T>(IRenderedComponent<T> cut, string text) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));

    /// <summary>The error message under a field of the editor (its MudBlazor helper text in error), or null.</summary>
    public static string? FieldError<T>(IRenderedComponent<T> cut, string field) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var input = cut.Find($"[data-field='{field}']");
        var control = input.Closest(".mud-input-control");
        var helper = control?.QuerySelector(".mud-input-helper-text.mud-input-error");
        return helper?.TextContent.Trim();
    }

    [GeneratedRegex(@"\b(Draft|Submitted|Validated|Returned|Grouped|Permanent)\b")]
    public static partial Regex FicheEnumNames();

    public static SaveFiche Complete(Guid? id, string title, bool submit) => new(
        id, title, EntryMode.Grouped, "Obtenir le titre professionnel.", "Techniques de nettoyage.", "Savoirs de base.",
        "Demandeur d'emploi inscrit.", "Information collective puis entretien.", ["Motivation pour le métier", "Aptitude physique"], ["K2204"],
        400, 140, "RNCP34325", "Niveau 3 (CAP, BEP)", "Titre professionnel.", "Demandeurs d'emploi.", "Locaux accessibles.", "Accueil",
        "accueil@of.exemple.fr", "05 56 00 00 00", ["33063"], submit);

    public static async Task<Guid> SubmittedFicheAsync(IServiceProvider services, CurrentUser of, string title)
    {
        var result = await services.GetRequiredService<SaveFiche.Handler>().HandleAsync(Complete(null, title, submit: true), of);
        return result.FicheId!.Value;
    }
}
