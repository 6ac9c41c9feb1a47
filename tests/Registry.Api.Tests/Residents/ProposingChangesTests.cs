using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Access;
using Registry.Api.Residents;
using Registry.Api.Tests.Batches;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>
/// Four eyes (issue 11): a death or a correction of full name, birth date or sex is proposed by one official and applied
/// only when a second official of the person's province, or a central administrator, approves it before it expires.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ProposingChangesTests(ApiFixture api) : IAsyncLifetime
{
    private const string Death = """{"date":"2026-11-01","place":"Bệnh viện Bạch Mai","documentReference":"KT-77/2026"}""";

    /// <inheritdoc />
    public Task InitializeAsync() => EnsureCommuneAsync(api);

    /// <summary>Makes commune 00004 of province 001, where the takeover moves its victim, known to the registry.</summary>
    internal static async Task EnsureCommuneAsync(ApiFixture api)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var response = await api.Http.PutAsJsonAsync("/provinces/001/communes/00004", new { name = "Phường Ba Đình" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// The takeover of the issue: an officer of 001 moves a resident of 079 into 001 and records their death. It ends as an
    /// unapproved proposal and the person alive; the same officer approving, or an officer of 079, is refused and changes
    /// nothing; a second officer of 001 approves and the death applies, the history naming both.
    /// </summary>
    [Fact]
    public async Task The_two_call_takeover_ends_as_an_unapproved_proposal()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var number = person.PersonalIdNumber;
        using var officer = api.ClientFor(TestActors.Officer("001"));
        using var saigon = api.ClientFor(TestActors.Officer("079"));
        using var second = api.ClientFor(TestActors.SecondOfficer("001"));
        using (var moved = await ApiFixture.PostAsync(officer, $"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
                   """{"provinceCode":"001","communeCode":"00004","address":"1 Hùng Vương","movedOn":"2026-03-01"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var residents = await api.ResidentsInAsync("001");
        using var proposed = await ApiFixture.PostAsync(officer, $"/residents/{number}/death", ApiFixture.NewIdempotencyKey(), Death);

        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var proposal = (await proposed.Content.ReadFromJsonAsync<ProposalResponse>())!;
        Assert.Equal($"/proposals/{proposal.Id}", proposed.Headers.Location?.OriginalString);
        Assert.Equal(("open", "001", "death", TestActors.Officer("001").Id), (proposal.Status, proposal.ProvinceCode, proposal.Kind, proposal.ProposedBy.Id));
        Assert.True((await ResidentAsync(number)).Alive);
        Assert.Contains(proposal.Id, (await OpenAsync(api.Http, "001")).Proposals.Select(open => open.Id));

        var before = await api.SnapshotAsync();
        await AmendingResidentsTests.RefusedAsync(officer, $"/proposals/{proposal.Id}/approval", "{}", HttpStatusCode.Forbidden, "approval");
        await AmendingResidentsTests.RefusedAsync(saigon, $"/proposals/{proposal.Id}/approval", "{}", HttpStatusCode.Forbidden, "approval");
        Assert.Equal(before, await api.SnapshotAsync());
        Assert.True((await ResidentAsync(number)).Alive);

        using var approved = await ApiFixture.PostAsync(second, $"/proposals/{proposal.Id}/approval", null, "{}");
        using var again = await ApiFixture.PostAsync(second, $"/proposals/{proposal.Id}/approval", null, "{}");

        var dead = await SecondOfficials.AppliedAsync(approved);
        Assert.False(dead.Alive);
        var repeated = (await again.Content.ReadFromJsonAsync<ProposalResponse>())!;
        Assert.Equal(("approved", TestActors.SecondOfficer("001").Id, dead.PersonalIdNumber), (repeated.Status, repeated.DecidedBy!.Id, repeated.Resident!.PersonalIdNumber));
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(residents - 1, await api.ResidentsInAsync("001"));
        var entry = (await HistoryAsync(number)).Single(change => change.Kind == "death");
        Assert.Equal((TestActors.Officer("001").Id, TestActors.SecondOfficer("001").Id), (entry.ActorId, entry.ApprovedById));
        Assert.DoesNotContain(proposal.Id, (await OpenAsync(api.Http, "001")).Proposals.Select(open => open.Id));
    }

    /// <summary>A central administrator approves an officer's proposal; the change applies.</summary>
    [Fact]
    public async Task A_central_administrator_approves_an_officers_proposal()
    {
        var person = await People.RegisterAsync(api, province: "079");
        using var officer = api.ClientFor(TestActors.Officer("079"));

        using var approved = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
            Death, officer, TestActors.Administrator);

        Assert.False((await SecondOfficials.AppliedAsync(approved)).Alive);
        Assert.Equal(TestActors.Administrator.Id, (await HistoryAsync(person.PersonalIdNumber)).Single(change => change.Kind == "death").ApprovedById);
    }

    /// <summary>A proposal past its expiry (the proposals' clock moved, no waiting) cannot be approved, reads as expired, and nothing changes.</summary>
    [Fact]
    public async Task An_expired_proposal_cannot_be_approved()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var location = await SecondOfficials.ProposeAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(), Death);
        using var second = api.ClientFor(TestActors.SecondAdministrator);

        using (ProposalClock.MoveAll(api.Cluster, TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1)))
        {
            var before = await api.SnapshotAsync();
            await AmendingResidentsTests.RefusedAsync(second, $"{location}/approval", "{}", HttpStatusCode.Conflict, "proposal");
            Assert.Equal(before, await api.SnapshotAsync());
            Assert.Equal("expired", (await api.Http.GetFromJsonAsync<ProposalResponse>(new Uri(location, UriKind.Relative)))!.Status);
        }

        Assert.True((await ResidentAsync(person.PersonalIdNumber)).Alive);
    }

    /// <summary>
    /// An amendment touching the name is proposed whole, its other fields with it, and applied whole on approval; an
    /// amendment of other fields alone applies at once.
    /// </summary>
    [Fact]
    public async Task A_mixed_amendment_is_proposed_whole_and_other_fields_apply_at_once()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var path = $"/residents/{person.PersonalIdNumber}/amendments";
        var name = People.UniqueName();

        using (var alone = await api.PostAsync(path, ApiFixture.NewIdempotencyKey(), AmendingResidentsTests.Amendment("Sai", "QĐ-1", ("religion", "Không"))))
        {
            Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        }

        var location = await SecondOfficials.ProposeAsync(api, path, ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai tên", "QĐ-2", ("fullName", name), ("hometown", "Huế")));
        var waiting = await ResidentAsync(person.PersonalIdNumber);
        Assert.Equal((person.FullName, (string?)null, "Không"), (waiting.FullName, waiting.Hometown, waiting.Religion));

        using var second = api.ClientFor(TestActors.SecondAdministrator);
        using var approved = await ApiFixture.PostAsync(second, $"{location}/approval", null, "{}");

        var applied = await SecondOfficials.AppliedAsync(approved);
        Assert.Equal((name, "Huế"), (applied.FullName, applied.Hometown));
    }

    /// <summary>
    /// A province's list shows its open proposals and no other province's; a rejected or withdrawn one leaves it; only the
    /// proposer withdraws; an officer of another province may not list it.
    /// </summary>
    [Fact]
    public async Task Open_proposals_are_listed_per_province()
    {
        var hanoi = await People.RegisterAsync(api, province: "001");
        var hue = await People.RegisterAsync(api, province: "046");
        using var officer = api.ClientFor(TestActors.Officer("001"));
        using var second = api.ClientFor(TestActors.SecondOfficer("001"));
        var death = await SecondOfficials.ProposeAsync(api, $"/residents/{hanoi.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(), Death, officer);
        var rename = await SecondOfficials.ProposeAsync(api, $"/residents/{hanoi.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai tên", "QĐ-3", ("fullName", People.UniqueName())), officer);
        var elsewhere = await SecondOfficials.ProposeAsync(api, $"/residents/{hue.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(), Death);

        var listed = (await OpenAsync(second, "001")).Proposals;

        Assert.Contains(IdOf(death), listed.Select(open => open.Id));
        Assert.Contains(IdOf(rename), listed.Select(open => open.Id));
        Assert.DoesNotContain(IdOf(elsewhere), listed.Select(open => open.Id));
        var listedDeath = listed.Single(open => open.Id == IdOf(death));
        Assert.Equal(("death", "provincial-officer"), (listedDeath.Fields.Single(), listedDeath.ProposedByRole));
        Assert.Contains(IdOf(elsewhere), (await OpenAsync(api.Http, "046")).Proposals.Select(open => open.Id));

        await AmendingResidentsTests.RefusedAsync(second, $"{death}/withdrawal", "{}", HttpStatusCode.Forbidden, "proposal");
        using (var withdrawn = await ApiFixture.PostAsync(officer, $"{death}/withdrawal", null, "{}"))
        {
            Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<ProposalResponse>())!.Status);
        }

        using (var rejected = await ApiFixture.PostAsync(second, $"{rename}/rejection", null, "{}"))
        {
            Assert.Equal("rejected", (await rejected.Content.ReadFromJsonAsync<ProposalResponse>())!.Status);
        }

        await AmendingResidentsTests.RefusedAsync(api.Http, $"{rename}/approval", "{}", HttpStatusCode.Conflict, "proposal");
        var left = (await OpenAsync(second, "001")).Proposals.Select(open => open.Id).ToArray();
        Assert.DoesNotContain(IdOf(death), left);
        Assert.DoesNotContain(IdOf(rename), left);
        Assert.True((await ResidentAsync(hanoi.PersonalIdNumber)).Alive);

        using var outsider = api.ClientFor(TestActors.Officer("079"));
        using var forbidden = await outsider.GetAsync(new Uri("/provinces/001/proposals", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    /// <summary>Unknown and malformed proposal ids, a bad limit, an unknown province and a missing purpose are refused naming the field.</summary>
    [Fact]
    public async Task Bad_proposal_requests_are_refused_naming_the_field()
    {
        await AmendingResidentsTests.RefusedAsync(api.Http, "/proposals/aaaaaaaaaaaaaaaaaaaaaaaaaa/approval", "{}", HttpStatusCode.NotFound, "proposalId");
        await AmendingResidentsTests.RefusedAsync(api.Http, "/proposals/not-an-id/approval", "{}", HttpStatusCode.NotFound, "proposalId");
        await AssertProblemAsync(api.Http, "/provinces/001/proposals?limit=0", HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(api.Http, "/provinces/999/proposals", HttpStatusCode.NotFound, "code");

        using var silent = api.ClientFor(TestActors.Administrator);
        silent.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
        await AssertProblemAsync(silent, "/provinces/001/proposals", HttpStatusCode.BadRequest, PurposeHeaders.Code);
    }

    /// <summary>
    /// A batch row correcting a name is rejected naming the field, since a batch has no second official: such corrections
    /// go through the API's proposals. Other amendments of the batch apply.
    /// </summary>
    [Fact]
    public async Task A_batch_row_correcting_a_name_is_rejected_naming_the_field()
    {
        var person = await People.RegisterAsync(api, province: "048");
        using var officer = api.ClientFor(TestActors.Officer("048"));
        var batchId = BatchUploads.NewId("four-eyes");
        var body = string.Join("\n",
            $$"""{"kind":"amendment","personalIdNumber":"{{person.PersonalIdNumber}}","field":"fullName","value":"{{People.UniqueName()}}","reason":"Sai","documentReference":"QĐ-1"}""",
            $$"""{"kind":"amendment","personalIdNumber":"{{person.PersonalIdNumber}}","field":"hometown","value":"Huế","reason":"Sai","documentReference":"QĐ-1"}""") + "\n";

        using (var uploaded = await BatchUploads.UploadAsync(officer, batchId, BatchUploads.Ndjson, body))
        {
            Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        }

        await BatchUploads.WaitUntilCompletedAsync(officer, batchId);
        var rows = await BatchUploads.RowsAsync(officer, batchId);
        Assert.Equal(["rejected", "applied"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Equal(["fullName"], BatchUploads.ErrorFields(rows[0]));
        var after = await ResidentAsync(person.PersonalIdNumber);
        Assert.Equal((person.FullName, "Huế"), (after.FullName, after.Hometown));
    }

    private static string IdOf(string location) => location["/proposals/".Length..];

    private async Task<ResidentResponse> ResidentAsync(string number) =>
        (await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{number}", UriKind.Relative)))!;

    private async Task<ResidentChangeResponse[]> HistoryAsync(string number) =>
        (await api.Http.GetFromJsonAsync<ResidentChangeResponse[]>(new Uri($"/residents/{number}/history", UriKind.Relative)))!;

    private static async Task<OpenProposalsResponse> OpenAsync(HttpClient client, string province) =>
        (await client.GetFromJsonAsync<OpenProposalsResponse>(new Uri($"/provinces/{province}/proposals", UriKind.Relative)))!;

    private static async Task AssertProblemAsync(HttpClient client, string path, HttpStatusCode status, string field)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {text}");
    }
}
