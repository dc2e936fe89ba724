using Portal.Application.Features.Fiches;
using Portal.Domain.Offer;

namespace Portal.Web.Features.Fiches;

/// <summary>What the fiche editor binds to: kept as typed while the server refuses, turned into <see cref="SaveFiche"/> to save.</summary>
public sealed class FicheFormModel
{
    public Guid? Id { get; set; }
    public string Title { get; set; } = "";
    public EntryMode EntryMode { get; set; } = EntryMode.Grouped;
    public string Objectives { get; set; } = "";
    public string Content { get; set; } = "";
    public string Prerequisites { get; set; } = "";
    public string AdmissionConditions { get; set; } = "";
    public string SelectionModalities { get; set; } = "";
    public List<string> SelectionCriteria { get; set; } = [];
    public List<ReferenceItem> RomeCodes { get; set; } = [];
    public int HoursInCentre { get; set; }
    public int HoursInCompany { get; set; }
    public string CertificationRncp { get; set; } = "";
    public string CertificationLevel { get; set; } = "";
    public string ExpectedResults { get; set; } = "";
    public string TargetPublic { get; set; } = "";
    public string Accessibility { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string ContactEmail { get; set; } = "";
    public string ContactPhone { get; set; } = "";
    public List<ReferenceItem> TrainingPlaces { get; set; } = [];
    public string JobProspects { get; set; } = "";
    public string FollowOnPaths { get; set; } = "";

    public SaveFiche ToCommand(bool submit) => new(
        Id, Title, EntryMode, Objectives, Content, Prerequisites, AdmissionConditions, SelectionModalities,
        [.. SelectionCriteria], [.. RomeCodes.Select(r => r.Code)], HoursInCentre, HoursInCompany,
        CertificationRncp, CertificationLevel, ExpectedResults, TargetPublic, Accessibility, ContactName, ContactEmail, ContactPhone,
        [.. TrainingPlaces.Select(p => p.Code)], submit)
    {
        JobProspects = JobProspects,
        FollowOnPaths = FollowOnPaths,
    };

    public static FicheFormModel From(GetFicheForEdit.Details details)
    {
        var f = details.Fields;
        return new FicheFormModel
        {
            Id = details.Id,
            Title = f.Title,
            EntryMode = f.EntryMode,
            Objectives = f.Objectives,
            Content = f.Content,
            Prerequisites = f.Prerequisites,
            AdmissionConditions = f.AdmissionConditions,
            SelectionModalities = f.SelectionModalities,
            SelectionCriteria = [.. f.SelectionCriteria],
            RomeCodes = [.. details.RomeCodes],
            HoursInCentre = f.HoursInCentre,
            HoursInCompany = f.HoursInCompany,
            CertificationRncp = f.CertificationRncp ?? "",
            CertificationLevel = f.CertificationLevel ?? "",
            ExpectedResults = f.ExpectedResults,
            TargetPublic = f.TargetPublic,
            Accessibility = f.Accessibility,
            ContactName = f.ContactName,
            ContactEmail = f.ContactEmail,
            ContactPhone = f.ContactPhone,
            TrainingPlaces = [.. details.TrainingPlaces],
            JobProspects = f.JobProspects,
            FollowOnPaths = f.FollowOnPaths,
        };
    }
}
