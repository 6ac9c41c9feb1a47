using System.Net;
using System.Net.Http.Json;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>Many registrations at once through HTTP, all drawing numbers from one allocator.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ConcurrentRegistrationsTests(ApiFixture api)
{
    private const int Requests = 200;

    /// <summary>200 parallel registrations under one ID-number prefix all succeed, with 200 different numbers, each counted once.</summary>
    [Fact]
    public async Task Parallel_registrations_under_one_prefix_get_distinct_numbers()
    {
        var before = await api.ResidentsInAsync("001");
        // Birth registered in Hà Nội (001), male born 1900–1999 (0), 1975: one prefix, one allocator grain.
        var body = Registrations.Valid(fullName: "Lê Văn Hùng", birthDate: "1975-04-30", sex: "male", birthRegistrationProvince: "001").ToJson();

        var numbers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async _ =>
        {
            using var response = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<ResidentResponse>())!.PersonalIdNumber;
        }));

        Assert.All(numbers, number => Assert.Matches("^001075[0-9]{6}$", number));
        Assert.Equal(Requests, numbers.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(before + Requests, await api.ResidentsInAsync("001"));
    }
}
