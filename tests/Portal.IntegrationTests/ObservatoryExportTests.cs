using System.Net;
using System.Text;

namespace Portal.IntegrationTests;

/// <summary>Q3 and Q1 exports over HTTP: CSV and XLSX for the observatory's readers, 403 for a prescriber, French 4xx on bad input.</summary>
[Collection(PortalCollection.Name)]
public sealed class ObservatoryExportTests(PortalFactory factory)
{
    private const string Period = "du=2025-12-01&au=2026-11-30";

    [Fact]
    public async Task Export_Csv_ForTheRegion_IsTheTableAsShown_WithFrenchHeaders_Q3()
    {
        var claire = await factory.LoggedInAsync("claire.lefevre");
        var response = await claire.GetAsync($"/api/observatoire/acces/publics.csv?{Period}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("observatoire-acces-publics-2025-12-01-2026-11-30.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(Encoding.UTF8.GetPreamble());
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("Public;Prescriptions;Sélections;Entrées;Part des prescriptions;Part des entrées;Taux de sélection");
        lines[1].ShouldStartWith("Tous les candidats;");
        lines.Length.ShouldBe(8);
    }

    [Fact]
    public async Task Export_Xlsx_ForTheCarif_IsASpreadsheet_Q3()
    {
        var nicolas = await factory.LoggedInAsync("nicolas.roux");
        var response = await nicolas.GetAsync($"/api/observatoire/acces/distances.xlsx?{Period}&departement=33");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(2).ShouldBe("PK"u8.ToArray()); // an Office Open XML package is a zip
    }

    [Fact]
    public async Task Export_ForAPrescriber_Is403_AndBadInputIsA4xxInFrench_NeverA500_Q3()
    {
        var camille = await factory.LoggedInAsync("camille.durand");
        var refused = await camille.GetAsync($"/api/observatoire/acces/publics.csv?{Period}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldNotContain("Tous les candidats");

        var claire = await factory.LoggedInAsync("claire.lefevre");
        var badDate = await claire.GetAsync("/api/observatoire/acces/publics.csv?du=31/12/2026&au=2026-12-31");
        badDate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badDate.Content.ReadAsStringAsync()).ShouldContain("AAAA-MM-JJ");
        (await claire.GetAsync($"/api/observatoire/acces/inconnu.csv?{Period}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await claire.GetAsync($"/api/observatoire/acces/publics.pdf?{Period}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var inverted = await claire.GetAsync("/api/observatoire/acces/publics.csv?du=2026-12-31&au=2026-01-01");
        inverted.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await inverted.Content.ReadAsStringAsync()).ShouldContain("La fin de la période doit suivre son début.");
    }

    [Fact]
    public async Task Export_EvaluationReport_Csv_ForTheRegion_AndUnknownTable404_Q4()
    {
        var claire = await factory.LoggedInAsync("claire.lefevre");
        var response = await claire.GetAsync($"/api/observatoire/evaluation/lisibilite.csv?{Period}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Trimestre;Fiches validées;dont validées à la première soumission;Part");
        (await claire.GetAsync($"/api/observatoire/evaluation/publics.csv?{Period}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var camille = await factory.LoggedInAsync("camille.durand");
        (await camille.GetAsync($"/api/observatoire/evaluation/lisibilite.csv?{Period}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task QualityExport_Csv_ForTheCarif_IsTheTableAsShown_AndBadInputIsA4xxInFrench_Q1()
    {
        var nicolas = await factory.LoggedInAsync("nicolas.roux");
        var response = await nicolas.GetAsync($"/api/observatoire/qualite/organismes.csv?{Period}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("observatoire-qualite-organismes-2025-12-01-2026-11-30.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).ShouldStartWith("Organisme de formation;Prescriptions;Fiches de prescription complètes (%);");
        (await nicolas.GetAsync($"/api/observatoire/qualite/seuils.xlsx?{Period}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await nicolas.GetAsync($"/api/observatoire/qualite/inconnu.csv?{Period}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await nicolas.GetAsync("/api/observatoire/qualite/organismes.csv?du=x&au=y")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var camille = await factory.LoggedInAsync("camille.durand");
        (await camille.GetAsync($"/api/observatoire/qualite/organismes.csv?{Period}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
