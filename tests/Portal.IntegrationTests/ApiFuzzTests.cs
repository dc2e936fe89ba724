using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.IntegrationTests;

/// <summary>
/// Issue #15 (1): every mapped endpoint, signed in, gets empty, malformed, wrong-type, huge and deep bodies and wrong content
/// types: it answers 4xx (or 2xx), never 5xx, and a refused body is a French problem document naming the field.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ApiFuzzTests(PortalFactory factory)
{
    private static readonly (string Body, string ContentType)[] Bodies =
    [
        ("", "application/json"),
        ("{", "application/json"),
        ("[1,2]", "application/json"),
        ("null", "application/json"),
        ("{\"openPlaces\":\"abc\"}", "application/json"),
        ("{\"openPlaces\":99999999999}", "application/json"),
        ("{\"openPlaces\":1.5}", "application/json"),
        ("{\"openPlaces\":-3}", "application/json"),
        (new string('[', 5000) + new string(']', 5000), "application/json"),
        ("{\"openPlaces\":" + new string('9', 100_000) + "}", "application/json"),
        ("openPlaces=3", "application/x-www-form-urlencoded"),
        ("<openPlaces>3</openPlaces>", "text/xml"),
        ("{\"openPlaces\":3}", "text/plain"),
    ];

    /// <summary>Every API route of the app, its parameters filled with values that parse (a fresh id, a word).</summary>
    private IEnumerable<(string Method, string Url)> Routes()
    {
        var sources = factory.Services.GetServices<EndpointDataSource>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith("/api", StringComparison.Ordinal)) continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var url = string.Join('/', pattern.Split('/').Select(segment => System.Text.RegularExpressions.Regex.Replace(segment, @"\{([^}:]+)(:[^}]+)?\}",
                m => m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "x")));
            foreach (var method in methods) yield return (method, url);
        }
    }

    [Fact]
    public async Task EveryApiEndpoint_AnyBody_NeverAnswers5xx()
    {
        var julie = await factory.LoggedInAsync("julie.moreau");
        var routes = Routes().ToList();
        routes.ShouldContain(r => r.Method == "PUT" && r.Url.EndsWith("/open-places", StringComparison.Ordinal));
        var failures = new List<string>();
        foreach (var (method, url) in routes)
        foreach (var (body, type) in Bodies)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, type) };
            using var response = await julie.SendAsync(request);
            if ((int)response.StatusCode >= 500) failures.Add($"{method} {url} [{type}] {body[..Math.Min(body.Length, 30)]} → {(int)response.StatusCode}");
        }
        failures.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", "Le corps de la requête est vide : envoyez un objet JSON.")]
    [InlineData("{", "Le corps de la requête n'est pas un JSON valide.")]
    [InlineData("[1,2]", "Le champ « $ » n'a pas le type attendu.")]
    [InlineData("{\"openPlaces\":\"abc\"}", "Le champ « openPlaces » n'a pas le type attendu.")]
    [InlineData("{\"openPlaces\":99999999999}", "Le champ « openPlaces » n'a pas le type attendu.")]
    public async Task OpenPlaces_ABadBody_IsA400InFrench_NamingTheField(string body, string title)
    {
        var julie = await factory.LoggedInAsync("julie.moreau");
        var of = await factory.OrganisationIdOfAsync("julie.moreau");
        var session = await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Sessions.Where(s => s.OrganisationId == of).Select(s => s.Id)));

        using var response = await julie.PutAsync($"/api/sessions/{session}/open-places", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("title").GetString().ShouldBe(title);
    }
}
