using System.Net;
using System.Net.Http.Json;
using Registry.Api.Cards;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Cards;

/// <summary>A card's steps through the API as an administrator takes them, for tests that need a card in some state.</summary>
internal static class CardSteps
{
    /// <summary>Applies for a card of <paramref name="personalIdNumber"/> for <paramref name="reason"/>.</summary>
    public static async Task<CardResponse> ApplyAsync(ApiFixture api, string personalIdNumber, string reason = "firstCard")
    {
        using var response = await api.PostAsync($"/residents/{personalIdNumber}/card-applications", ApiFixture.NewIdempotencyKey(), $$"""{"reason":"{{reason}}"}""");
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    /// <summary>Takes <paramref name="step"/> (production, issue, loss-report) on the card.</summary>
    public static async Task<CardResponse> StepAsync(ApiFixture api, string documentNumber, string step)
    {
        using var response = await api.PostAsync($"/cards/{documentNumber}/{step}", ApiFixture.NewIdempotencyKey(), "{}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CardResponse>())!;
    }

    /// <summary>A first card applied for, produced and issued today.</summary>
    public static async Task<CardResponse> IssueNewAsync(ApiFixture api, string personalIdNumber)
    {
        var card = await ApplyAsync(api, personalIdNumber);
        await StepAsync(api, card.DocumentNumber, "production");
        return await StepAsync(api, card.DocumentNumber, "issue");
    }

    /// <summary>The card as an administrator reads it.</summary>
    public static async Task<CardResponse> GetAsync(ApiFixture api, string documentNumber) =>
        (await api.Http.GetFromJsonAsync<CardResponse>(new Uri($"/cards/{documentNumber}", UriKind.Relative)))!;
}
