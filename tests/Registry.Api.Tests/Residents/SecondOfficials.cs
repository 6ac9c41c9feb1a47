using System.Net;
using System.Net.Http.Json;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>
/// A death or a correction of full name, birth date or sex as the API takes it since four eyes: proposed (202 with the
/// proposal's Location), then approved by a second official, for tests about something else than the approval.
/// </summary>
internal static class SecondOfficials
{
    /// <summary>
    /// POSTs <paramref name="json"/> to <paramref name="path"/> through <paramref name="proposer"/> (the administrator's client
    /// unless given), expects 202, and approves it as <paramref name="approver"/> (<see cref="TestActors.SecondAdministrator"/>
    /// unless given). Answers the approval's response; dispose it.
    /// </summary>
    public static async Task<HttpResponseMessage> ProposeAndApproveAsync(
        ApiFixture api, string path, string? idempotencyKey, string json, HttpClient? proposer = null, Actor? approver = null)
    {
        var location = await ProposeAsync(api, path, idempotencyKey, json, proposer);
        using var second = api.ClientFor(approver ?? TestActors.SecondAdministrator);
        return await ApiFixture.PostAsync(second, $"{location}/approval", null, "{}");
    }

    /// <summary>POSTs a proposal, expects 202, and answers its Location.</summary>
    public static async Task<string> ProposeAsync(ApiFixture api, string path, string? idempotencyKey, string json, HttpClient? proposer = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var proposed = await ApiFixture.PostAsync(proposer ?? api.Http, path, idempotencyKey, json);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, $"{(int)proposed.StatusCode} {await proposed.Content.ReadAsStringAsync()}");
        return proposed.Headers.Location?.OriginalString ?? throw new InvalidOperationException("A proposal is answered with its Location.");
    }

    /// <summary>The person's record in an approval's answer.</summary>
    public static async Task<ResidentResponse> AppliedAsync(HttpResponseMessage approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        Assert.True(approval.StatusCode == HttpStatusCode.OK, $"{(int)approval.StatusCode} {await approval.Content.ReadAsStringAsync()}");
        return (await approval.Content.ReadFromJsonAsync<ProposalResponse>())!.Resident!;
    }
}
