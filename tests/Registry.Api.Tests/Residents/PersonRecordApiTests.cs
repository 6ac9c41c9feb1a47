using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>The full person record through <c>POST /residents</c>: links, issued numbers, nationality, duplicate candidates.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class PersonRecordApiTests(ApiFixture api)
{
    /// <summary>Every optional field is stored and read back, links included.</summary>
    [Fact]
    public async Task A_full_record_is_registered_and_read_back()
    {
        var mother = await People.RegisterAsync(api, birthDate: "1962-04-04");

        var person = await People.RegisterAsync(api, with: body =>
        {
            body["otherNames"] = new JsonArray("Ánh Nguyễn");
            body["hometown"] = "Xã Tam Hiệp, Phúc Thọ, Hà Nội";
            body["ethnicity"] = "Kinh";
            body["religion"] = "Không";
            body["permanentAddress"] = "45 Nguyễn Huệ, Quận 1";
            body["mother"] = mother.PersonalIdNumber;
        });

        var read = (await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative)))!;
        Assert.Equal(["Ánh Nguyễn"], read.OtherNames);
        Assert.Equal(("Xã Tam Hiệp, Phúc Thọ, Hà Nội", "Kinh", "Không", "45 Nguyễn Huệ, Quận 1", mother.PersonalIdNumber, "vietnamese", true),
            (read.Hometown, read.Ethnicity, read.Religion, read.PermanentAddress, read.Mother, read.Nationality, read.Alive));
    }

    /// <summary>Links to nobody, malformed links and issued numbers contradicting the declared details are refused naming the field; nothing changes.</summary>
    [Theory]
    [InlineData("mother", "079090999999", "mother")]
    [InlineData("father", "07909099999", "father")]
    [InlineData("issuedNumber", "079090123456", "issuedNumber")]
    [InlineData("issuedNumber", "079191123456", "issuedNumber")]
    [InlineData("issuedNumber", "079390123456", "issuedNumber")]
    [InlineData("issuedNumber", "001190123456", "issuedNumber")]
    [InlineData("issuedNumber", "003190123456", "issuedNumber")]
    [InlineData("issuedNumber", "0791901234 6", "issuedNumber")]
    [InlineData("nationality", "undeterminedVietnameseOrigin", "identityCertificate")]
    [InlineData("nationality", "stateless", "nationality")]
    public async Task Bad_links_numbers_and_nationality_are_refused_and_change_nothing(string field, string value, string refused)
    {
        var before = await api.SnapshotAsync();

        using var response = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), Registrations.ValidWith(field, value));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal([refused], problem.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>A number issued before the registry is kept; the same number again is refused with 409.</summary>
    [Fact]
    public async Task An_issued_number_is_kept_once()
    {
        var issued = $"079190{Random.Shared.Next(0, 999_999):000000}";

        var person = await People.RegisterAsync(api, with: body => body["issuedNumber"] = issued);
        var before = await api.SnapshotAsync();
        using var again = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), Registrations.ValidWith("issuedNumber", issued));

        Assert.Equal(issued, person.PersonalIdNumber);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>A person of undetermined nationality is registered with their identity certificate and gets a number.</summary>
    [Fact]
    public async Task A_person_of_undetermined_nationality_gets_a_number_with_their_certificate()
    {
        var person = await People.RegisterAsync(api, with: body =>
        {
            body["nationality"] = "undeterminedVietnameseOrigin";
            body["identityCertificate"] = new JsonObject { ["issuedOn"] = "2025-10-01", ["commune"] = "Xã Tân Thạnh", ["livingInCommuneSince"] = "2025-01-15" };
        });

        Assert.Equal("undeterminedVietnameseOrigin", person.Nationality);
        Assert.Equal("Xã Tân Thạnh", person.IdentityCertificate!.Commune);
    }

    /// <summary>
    /// Registering someone with the name (without diacritics or case), birth date and birth province of a registered
    /// person returns them as candidates with 409 and stores nothing; confirming goes on.
    /// </summary>
    [Fact]
    public async Task Duplicate_candidates_are_returned_and_confirming_goes_on()
    {
        var first = await People.RegisterAsync(api);
        var folded = first.FullName.Replace("Nguyễn Thị", "NGUYEN THI", StringComparison.Ordinal).ToUpperInvariant();
        var body = Registrations.Valid(fullName: folded);
        body.Remove("confirmedNotDuplicate");
        var before = await api.SnapshotAsync();

        using var refused = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), body.ToJson());

        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, text);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal([first.PersonalIdNumber], problem.RootElement.GetProperty("candidates").EnumerateArray().Select(candidate => candidate.GetProperty("personalIdNumber").GetString()));
        Assert.Equal(before, await api.SnapshotAsync());

        body["confirmedNotDuplicate"] = true;
        using var confirmed = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), body.ToJson());
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
    }
}
