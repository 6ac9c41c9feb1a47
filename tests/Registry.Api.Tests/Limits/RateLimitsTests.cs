using System.Net;
using System.Text.Json;
using Registry.Api.Limits;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Limits;

/// <summary>
/// Each client spends its own budget: a client that floods the API gets 429 problem details with Retry-After once its
/// budget for the window is spent, while other clients' requests still succeed. The host has tiny budgets and a window
/// longer than the test, so that the counts are exact.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RateLimitsTests(ApiFixture api) : IAsyncLifetime
{
    private const int OfficerBudget = 5;
    // The partner's policy grants one request a minute: ten in the test's ten-minute window.
    private const int PartnerRequestsPerMinute = 1;
    private const int PartnerBudget = 10;
    private const int AnonymousBudget = 3;
    private ApiHost? _host;
    private string? _partner;

    /// <summary>
    /// Stores a partner's policy of one request a minute, then starts a host with tiny budgets per ten minutes: officers 5,
    /// that partner 10 by its policy, other partners 1,000, anonymous callers 3.
    /// </summary>
    public async Task InitializeAsync()
    {
        _partner = await Partners.Partners.WithPolicyAsync(api, Partners.Partners.Policy(requestsPerMinute: PartnerRequestsPerMinute));
        _host = await ApiHost.StartAsync(api, Settings);
    }

    private static Dictionary<string, string?> Settings => new()
    {
        [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.Window)}"] = "00:10:00",
        [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.ProvincialOfficer)}"] = $"{OfficerBudget}",
        [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.MinistryPartner)}"] = "1000",
        [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.Anonymous)}"] = $"{AnonymousBudget}",
    };

    /// <summary>Stops the host.</summary>
    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>An officer's flood is cut at the budget with 429 and Retry-After; another officer, and the administrator, still get their answers.</summary>
    [Fact]
    public async Task A_flooding_client_gets_429_while_another_client_still_succeeds()
    {
        using var flooder = ClientOf(api.Tokens.Issue(TestActors.Officer("001"), TimeSpan.FromHours(1)));
        using var other = ClientOf(api.Tokens.Issue(TestActors.Officer("079"), TimeSpan.FromHours(1)));

        var flood = await SendAsync(flooder, 4 * OfficerBudget);

        Assert.Equal(OfficerBudget, flood.Count(status => status != HttpStatusCode.TooManyRequests));
        Assert.All(flood.Take(OfficerBudget), status => Assert.Equal(HttpStatusCode.OK, status));
        using (var refused = await flooder.GetAsync(new Uri("/provinces/001", UriKind.Relative)))
        {
            await AssertTooManyAsync(refused);
        }

        Assert.All(await SendAsync(other, OfficerBudget), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    /// <summary>A partner spends the rate its stored policy grants, scaled to the window, not its role's budget.</summary>
    [Fact]
    public async Task A_partner_spends_its_own_budget()
    {
        using var partner = ClientOf(api.Tokens.Issue(TestActors.Partner(_partner!), TimeSpan.FromHours(1)));

        var statuses = await SendAsync(partner, PartnerBudget + 3);

        Assert.Equal(PartnerBudget, statuses.Count(status => status != HttpStatusCode.TooManyRequests));
    }

    /// <summary>Callers without a token share their address's budget, so guessing tokens is slowed down too.</summary>
    [Fact]
    public async Task Callers_without_a_valid_token_are_limited_by_address()
    {
        using var anonymous = ClientOf(token: null);
        using var guesser = ClientOf("let-me-in");

        var statuses = (await SendAsync(anonymous, AnonymousBudget)).Concat(await SendAsync(guesser, 2));

        Assert.Equal(AnonymousBudget, statuses.Count(status => status != HttpStatusCode.TooManyRequests));
    }

    private HttpClient ClientOf(string? token) => _host!.ClientWithToken(token);

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(new Uri("/provinces/001", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(10), $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(RateLimits.Title, problem.RootElement.GetProperty("title").GetString());
    }
}
