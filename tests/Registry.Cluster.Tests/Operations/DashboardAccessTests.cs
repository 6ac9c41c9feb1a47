using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Registry.TestSupport;
using Registry.Tokens;

namespace Registry.Cluster.Tests.Operations;

/// <summary>
/// Issue 11's door to operations: a silo process serves its dashboard (every grain of the cluster, keyed by personal ID
/// numbers) only to the operator role with a valid token, by the API's own token rules; health stays open to probes.
/// </summary>
public sealed class DashboardAccessTests
{
    private static readonly RegistryAuthOptions Auth = new()
    {
        Issuer = "registry-dashboard-tests",
        Audience = "registry-api-tests",
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    /// <summary>
    /// No token or a forged one → 401, a citizen's, an officer's or an administrator's token → 403, an operator's → 200,
    /// for the page and for the data it loads; health needs no token.
    /// </summary>
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/ClusterStats")]
    public async Task The_dashboard_answers_operators_only(string path)
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(DashboardAccessTests));
        await using var silo = await SiloProcess.StartAsync("dashboard-1", scratch.ConnectionString, "dashboard-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string>
        {
            ["Registry__Auth__Issuer"] = Auth.Issuer!,
            ["Registry__Auth__Audience"] = Auth.Audience!,
            ["Registry__Auth__SigningKey"] = Auth.SigningKey!,
        });
        var tokens = new RegistryTokens(Auth, TimeProvider.System);
        // Redirects are not followed: HttpClient drops the Authorization header on a redirect (/dashboard → /dashboard/).
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = silo.HttpUri };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, path, token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/dashboard", token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, path, token: "let-me-in"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, path, tokens.Issue(TestActors.Citizen("001090000001"), TimeSpan.FromHours(1))));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, path, tokens.Issue(TestActors.Officer("001"), TimeSpan.FromHours(1))));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, path, tokens.Issue(TestActors.Administrator, TimeSpan.FromHours(1))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, path, tokens.Issue(TestActors.Operator, TimeSpan.FromHours(1))));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/health/ready", token: null));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
