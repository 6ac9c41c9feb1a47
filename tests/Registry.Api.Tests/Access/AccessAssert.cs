using System.Net;
using System.Text.Json;
using Registry.Api.Access;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>What a refused caller must get: the status, as problem details with the API's title for it.</summary>
internal static class AccessAssert
{
    /// <summary>401, <c>WWW-Authenticate: Bearer…</c>, and problem details whose detail mentions <paramref name="detailPart"/>.</summary>
    public static async Task UnauthenticatedAsync(HttpResponseMessage response, string detailPart = "")
    {
        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized, AccessProblems.UnauthenticatedTitle);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>403 and problem details naming the roles that may make the request.</summary>
    public static async Task ForbiddenAsync(HttpResponseMessage response)
    {
        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden, AccessProblems.ForbiddenTitle);
        Assert.Contains("central-administrator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// 403 and problem details from the read rules (Readers): the reason under the field <c>actor</c>, and no data. The
    /// response is disposed; <paramref name="what"/> says which request it answered.
    /// </summary>
    public static async Task ReadRefusedAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: expected 403, got {(int)response.StatusCode} {text}");
            var problem = await ProblemAsync(response, HttpStatusCode.Forbidden, AccessProblems.ForbiddenTitle);
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty("actor", out _), $"{what}: {text}");
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }
}
