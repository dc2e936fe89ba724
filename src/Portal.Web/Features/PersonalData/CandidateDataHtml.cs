using System.Globalization;
using System.Net;
using System.Text;
using Portal.Application.Features.PersonalData;
using Portal.Domain.Common;

namespace Portal.Web.Features.PersonalData;

/// <summary>
/// Issue #14 (4): the readable copy of a candidate's data, a self-contained French page the référent prints (or saves as
/// PDF) and hands to the candidate. Every text is HTML-encoded; no script (the CSP forbids inline scripts anyway).
/// </summary>
public static class CandidateDataHtml
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string Render(CandidateDataCopy copy)
    {
        var c = copy.Candidate;
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <title>Données personnelles du candidat – Portail de prescription</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1a1a1a; line-height: 1.4; }
              h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; } h3 { font-size: 1.05rem; }
              table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
              th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
              th[scope=row] { width: 30%; background: #f2f2f2; }
              .note { color: #444; font-size: .9rem; }
              @media print { body { margin: 0; max-width: none; } .note.screen { display: none; } h2 { break-after: avoid; } section { break-inside: avoid-page; } }
            </style>
            </head>
            <body>
            <main>
            """);
        html.Append("<h1>Données personnelles de ").Append(E(c.FirstName)).Append(' ').Append(E(c.LastName)).Append("</h1>");
        html.Append("<p class=\"note\">Copie établie le ").Append(E(When(copy.ExportedAt))).Append(" par le Portail de prescription de la Région, ")
            .Append("à la demande du candidat (droit d'accès). Elle contient toutes les données que le portail conserve à son sujet.</p>");
        html.Append("<p class=\"note screen\">Pour une copie papier ou PDF, utilisez la fonction Imprimer de votre navigateur (Ctrl+P).</p>");

        html.Append("<section><h2>Identité et situation</h2><table><tbody>");
        Row(html, "Prénom", c.FirstName);
        Row(html, "Nom", c.LastName);
        Row(html, "Date de naissance", c.BirthDate.ToString("dd/MM/yyyy", French));
        Row(html, "Commune de résidence", $"{c.Commune} ({c.CommuneInsee})");
        Row(html, "Adresse e-mail", c.Email);
        Row(html, "Téléphone", c.Phone);
        Row(html, "Identifiant France Travail", c.FranceTravailId);
        Row(html, "Niveau de formation", c.EducationLevel);
        Row(html, "Métier visé (code ROME)", c.ProjectRomeCode);
        Row(html, "Travailleur handicapé (RQTH)", YesNo(c.Rqth));
        Row(html, "Résident d'un quartier prioritaire (QPV)", YesNo(c.Qpv));
        Row(html, "Zone rurale", YesNo(c.Rural));
        Row(html, "Bénéficiaire des minima sociaux", YesNo(c.MinimumSocialBenefits));
        Row(html, "Organisation prescriptrice", c.PrescriberOrganisation);
        Row(html, "Suivi par", c.FollowedBy);
        Row(html, "Dossier créé le", When(c.CreatedAt));
        Row(html, "Dernière activité le", When(c.LastActivityAt));
        if (c.Pseudonymised) Row(html, "Données effacées (anonymisé) le", c.PseudonymisedAt is { } at ? When(at) : "");
        html.Append("</tbody></table></section>");

        html.Append("<section><h2>Prescriptions (").Append(copy.Prescriptions.Count).Append(")</h2>");
        if (copy.Prescriptions.Count == 0) html.Append("<p>Aucune prescription.</p>");
        foreach (var p in copy.Prescriptions)
        {
            html.Append("<h3>").Append(E(p.Training)).Append(" – ").Append(E(p.TrainingBody)).Append("</h3><table><tbody>");
            Row(html, "Session", $"du {p.SessionStart.ToString("dd/MM/yyyy", French)} au {p.SessionEnd.ToString("dd/MM/yyyy", French)}");
            Row(html, "Choix n°", p.Rank.ToString(French));
            Row(html, "Statut", p.Status);
            Row(html, "Prescrite le", When(p.CreatedAt));
            Row(html, "Convoquée le", p.ConvokedAt is { } convoked ? When(convoked) : null);
            Row(html, "Acquis et parcours antérieur", p.Form.PriorPath);
            Row(html, "Validation du projet", p.Form.ProjectValidation);
            Row(html, "Accord du candidat", YesNo(p.Form.CandidateAgreement));
            Row(html, "Conditions matérielles", p.Form.MaterialConditions);
            Row(html, "Faisabilité", p.Form.Feasibility);
            Row(html, "RQTH déclarée", p.Form.RqthDeclared is { } rqth ? YesNo(rqth) : null);
            Row(html, "Attentes et motivations", p.Form.Motivations);
            Row(html, "Freins identifiés", p.Form.Barriers);
            Row(html, "Critères de sélection expliqués", YesNo(p.Form.CriteriaReviewed));
            Row(html, "Motifs de la décision", p.DecisionReasons);
            Row(html, "Motifs de non-sélection", p.NonSelectionReasons.Count == 0 ? null : string.Join(" ; ", p.NonSelectionReasons));
            Row(html, "Explication au candidat", p.CandidateExplanation);
            Row(html, "Explication au prescripteur", p.PrescriberExplanation);
            Row(html, "Justification d'absence", p.AbsenceJustification);
            Row(html, "Rang en liste d'attente", p.WaitlistRank?.ToString(French));
            Row(html, "Pièces jointes", p.Attachments.Count == 0 ? null
                : string.Join(" ; ", p.Attachments.Select(a => $"{a.FileName} ({a.Size.ToString("N0", French)} octets, le {When(a.UploadedAt)})")));
            html.Append("</tbody></table>");
            html.Append("<table><caption>Historique</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Statut</th><th scope=\"col\">Par</th><th scope=\"col\">Motif</th></tr></thead><tbody>");
            foreach (var h in p.History)
                html.Append("<tr><td>").Append(E(When(h.At))).Append("</td><td>").Append(E(h.To)).Append("</td><td>").Append(E(h.By ?? "Le portail"))
                    .Append("</td><td>").Append(E(h.Reason ?? "")).Append("</td></tr>");
            html.Append("</tbody></table>");
            if (p.Messages.Count > 0)
            {
                html.Append("<table><caption>Fiche complément (échanges prescripteur – organisme de formation)</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">De</th><th scope=\"col\">Message</th></tr></thead><tbody>");
                foreach (var m in p.Messages)
                    html.Append("<tr><td>").Append(E(When(m.At))).Append("</td><td>").Append(E($"{m.Author} ({m.Side})")).Append("</td><td>").Append(E(m.Body)).Append("</td></tr>");
                html.Append("</tbody></table>");
            }
            foreach (var a in p.Arbitrations)
            {
                html.Append("<table><caption>Arbitrage de la MFE</caption><tbody>");
                Row(html, "Ouvert le", When(a.OpenedAt));
                Row(html, "Argument du prescripteur", a.PrescriberArgument);
                Row(html, "Argument de l'organisme de formation", a.TrainingBodyArgument);
                Row(html, "Décision", a.Ruling);
                Row(html, "Décidé le", a.DecidedAt is { } decided ? When(decided) : null);
                html.Append("</tbody></table>");
            }
        }
        html.Append("</section>");

        html.Append("<section><h2>Liens de suivi personnels</h2>");
        if (copy.PersonalLinks.Count == 0) html.Append("<p>Aucun lien.</p>");
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">Créé le</th><th scope=\"col\">Valable jusqu'au</th><th scope=\"col\">Révoqué le</th></tr></thead><tbody>");
            foreach (var l in copy.PersonalLinks)
                html.Append("<tr><td>").Append(E(When(l.CreatedAt))).Append("</td><td>").Append(E(When(l.ExpiresAt))).Append("</td><td>")
                    .Append(E(l.RevokedAt is { } r ? When(r) : "—")).Append("</td></tr>");
            html.Append("</tbody></table>");
        }
        html.Append("</section>");

        html.Append("<section><h2>Consultations de la situation de handicap (RQTH)</h2>");
        if (copy.RqthReads.Count == 0) html.Append("<p>Aucune consultation enregistrée.</p>");
        else
        {
            html.Append("<table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Par</th></tr></thead><tbody>");
            foreach (var r in copy.RqthReads)
                html.Append("<tr><td>").Append(E(When(r.At))).Append("</td><td>").Append(E(r.Reader)).Append("</td></tr>");
            html.Append("</tbody></table>");
        }
        html.Append("</section>");
        html.Append("<p class=\"note\">Pour faire corriger ou effacer ces données, le candidat s'adresse au référent de son organisation prescriptrice.</p>");
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string label, string? value) =>
        html.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td>").Append(E(string.IsNullOrWhiteSpace(value) ? "—" : value)).Append("</td></tr>");

    private static string YesNo(bool value) => value ? "Oui" : "Non";

    private static string When(DateTimeOffset at) => FrenchTime.ToFrance(at).ToString("dd/MM/yyyy HH:mm", French);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
