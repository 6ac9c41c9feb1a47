using System.Globalization;
using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Domain;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>Invariant 5: bad input to <c>POST /residents</c> gets a 400 naming the field, and changes nothing.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RefusedRegistrationsTests(ApiFixture api)
{
    // Stands for a key made when the case runs, so that no case can meet a key used before.
    private const string FreshKey = "(fresh)";

    /// <summary>What is wrong, the Idempotency-Key (null: no header), the body, and the fields the 400 must name.</summary>
    public static TheoryData<string, string?, string, string[]> BadRegistrations()
    {
        // Two days ahead in Vietnam (UTC+7) is in the future whatever the test machine's clock zone.
        var future = VietnamCalendar.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new()
        {
            { "empty name", FreshKey, Registrations.ValidWith("fullName", ""), ["fullName"] },
            { "name of spaces only", FreshKey, Registrations.ValidWith("fullName", "  \t  "), ["fullName"] },
            { "name of 201 characters", FreshKey, Registrations.ValidWith("fullName", new string('A', 201)), ["fullName"] },
            { "name with a control character U+0007", FreshKey, Registrations.ValidWith("fullName", "Nguyễn\u0007Thị Ánh"), ["fullName"] },
            { "name with a zero-width space U+200B", FreshKey, Registrations.ValidWith("fullName", "Nguyễn\u200BThị Ánh"), ["fullName"] },
            { "birth date two days ahead", FreshKey, Registrations.ValidWith("birthDate", future), ["birthDate"] },
            { "birth date before 1900", FreshKey, Registrations.ValidWith("birthDate", "1899-12-31"), ["birthDate"] },
            { "birth date that does not exist", FreshKey, Registrations.ValidWith("birthDate", "1990-02-30"), ["birthDate"] },
            { "birth date as a number", FreshKey, Registrations.ValidWith("birthDate", 12345), ["birthDate"] },
            { "unknown province 999", FreshKey, Registrations.ValidWith("birthRegistrationProvince", "999"), ["birthRegistrationProvince"] },
            { "province of two digits", FreshKey, Registrations.ValidWith("birthRegistrationProvince", "79"), ["birthRegistrationProvince"] },
            { "sex other", FreshKey, Registrations.ValidWith("sex", "other"), ["sex"] },
            { "sex capitalised with a trailing space", FreshKey, Registrations.ValidWith("sex", "Male "), ["sex"] },
            { "JSON cut off after the first name", FreshKey, """{"fullName":""", ["fullName"] },
            { "not JSON at all", FreshKey, "register Nguyễn Thị Ánh please", ["body"] },
            { "no fullName", FreshKey, Registrations.ValidWithout("fullName"), ["fullName"] },
            { "no birthDate", FreshKey, Registrations.ValidWithout("birthDate"), ["birthDate"] },
            { "no sex", FreshKey, Registrations.ValidWithout("sex"), ["sex"] },
            { "no birthRegistrationProvince", FreshKey, Registrations.ValidWithout("birthRegistrationProvince"), ["birthRegistrationProvince"] },
            { "empty object", FreshKey, "{}", ["fullName", "birthDate", "sex", "birthRegistrationProvince"] },
            { "no Idempotency-Key header", null, Registrations.Valid().ToJson(), ["Idempotency-Key"] },
            { "Idempotency-Key with a space", "key with space", Registrations.Valid().ToJson(), ["Idempotency-Key"] },
            { "Idempotency-Key of 101 characters", new string('k', 101), Registrations.Valid().ToJson(), ["Idempotency-Key"] },
        };
    }

    /// <summary>Each bad request is a 400 problem whose errors name exactly the bad fields, and nothing is written anywhere.</summary>
    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task A_bad_registration_is_refused_naming_the_field_and_changes_nothing(
        string fault, string? idempotencyKey, string body, string[] fields)
    {
        var before = await api.SnapshotAsync();

        using var response = await api.RegisterAsync(idempotencyKey == FreshKey ? ApiFixture.NewIdempotencyKey() : idempotencyKey, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{fault}: expected 400, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        var named = problem.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal);
        Assert.True(named.SequenceEqual(fields.Order(StringComparer.Ordinal)), $"{fault}: expected errors for {string.Join(", ", fields)}, got {text}");
        Assert.Equal(before, await api.SnapshotAsync());
    }
}
