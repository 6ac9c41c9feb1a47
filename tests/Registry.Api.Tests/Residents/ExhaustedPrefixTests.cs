using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Orleans.Storage;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity;
using Registry.Grains;
using Registry.Grains.Identity;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /residents</c> when every number of the person's prefix is already issued.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ExhaustedPrefixTests(ApiFixture api)
{
    /// <summary>The caller gets 409 problem details saying the prefix is used up, and nothing is stored.</summary>
    [Fact]
    public async Task A_registration_under_an_exhausted_prefix_is_refused_with_409()
    {
        var prefix = IdNumberPrefix.For("096", Sex.Female, new DateOnly(1921, 2, 3));
        var storage = api.SiloService<IGrainStorage>(RegistryStorage.Name);
        await storage.WriteStateAsync(RegistryStorage.AllocatorState, GrainId.Create("idnumberallocator", prefix.Value),
            new GrainState<AllocatorState>(new AllocatorState(SerialPermutation.NewKey(), PersonalIdNumber.SerialsPerPrefix)));
        var before = await api.SnapshotAsync();

        using var response = await api.RegisterAsync(
            ApiFixture.NewIdempotencyKey(),
            Registrations.Valid(birthDate: "1921-02-03", birthRegistrationProvince: "096").ToJson());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains(prefix.Value, problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync());
    }
}
