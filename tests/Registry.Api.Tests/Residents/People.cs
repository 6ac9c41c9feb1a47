using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>Registering people through the API for tests that need someone to amend, link to or find.</summary>
internal static class People
{
    /// <summary>Registers a person with a name no other test uses, and returns them as the API does.</summary>
    public static async Task<ResidentResponse> RegisterAsync(ApiFixture api, string province = "079", string birthDate = "1990-05-17", string sex = "female",
        Action<JsonObject>? with = null)
    {
        var body = Registrations.Valid(fullName: UniqueName(), birthDate: birthDate, sex: sex, birthRegistrationProvince: province);
        with?.Invoke(body);
        using var response = await api.RegisterAsync(ApiFixture.NewIdempotencyKey(), body.ToJson());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ResidentResponse>())!;
    }

    /// <summary>A Vietnamese name with a random given name, so that duplicate candidates come only from the test itself.</summary>
    public static string UniqueName() => $"Nguyễn Thị {Guid.NewGuid():N}"[..24];
}
