using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.LoadTests.Scenarios;

/// <summary>The part of a resident record the load test checks: the ID number.</summary>
internal sealed record ResidentIdentity(string? PersonalIdNumber);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NewResident))]
[JsonSerializable(typeof(ResidentIdentity))]
internal sealed partial class ResidentsJson : JsonSerializerContext;

/// <summary>The two calls of the residents API the scenarios make, with the contract checks of their answers.</summary>
internal static class ResidentsApi
{
    /// <summary>Result of one registration: the outcome, and the new ID number when it succeeded.</summary>
    internal readonly record struct Registration(RequestOutcome Outcome, string? PersonalIdNumber);

    /// <summary>
    /// <c>POST /residents</c>. Success means 201 with a 12-digit ID number that agrees with what was sent
    /// and a Location pointing at it; a 201 that breaks the contract is counted as an error, not a success.
    /// </summary>
    public static async ValueTask<Registration> RegisterAsync(
        HttpClient http, NewResident resident, string idempotencyKey, CancellationToken cancellationToken)
    {
        // Serialised up front so the request carries a Content-Length, as a browser or a service would send
        // it, rather than the chunked body JsonContent streams.
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(resident, ResidentsJson.Default.NewResident));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "residents") { Content = body };
        request.Headers.Add("Idempotency-Key", idempotencyKey);

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return new(await UnexpectedStatusAsync(response, cancellationToken), null);
        }

        var (identity, unreadable) = await ReadIdentityAsync(response, cancellationToken);
        if (identity is null)
        {
            return new(RequestOutcome.ContractBreach("201 with unreadable body", unreadable), null);
        }

        var id = identity.PersonalIdNumber;
        if (!PersonalIdNumber.IsWellFormed(id))
        {
            return new(RequestOutcome.ContractBreach("201 without a 12-digit personalIdNumber", id), null);
        }

        var expectedPrefix = PersonalIdNumber.ExpectedPrefix(resident);
        if (!id.StartsWith(expectedPrefix, StringComparison.Ordinal))
        {
            return new(RequestOutcome.ContractBreach(
                "201 with an ID number that contradicts the request",
                $"expected prefix {expectedPrefix} for {resident.Sex} born {resident.BirthDate:yyyy-MM-dd} in {resident.BirthRegistrationProvince}, got {id}"),
                null);
        }

        var location = response.Headers.Location?.OriginalString;
        if (location is null || !location.EndsWith("/residents/" + id, StringComparison.Ordinal))
        {
            return new(RequestOutcome.ContractBreach("201 without a matching Location", location ?? "(no Location header)"), null);
        }

        return new(RequestOutcome.Success(response.StatusCode), id);
    }

    /// <summary><c>GET /residents/{id}</c>. Success means 200 with the same ID number in the body.</summary>
    public static async ValueTask<RequestOutcome> GetAsync(HttpClient http, string personalIdNumber, CancellationToken cancellationToken)
    {
        // The ID comes from our own registration and was checked to be 12 digits, so it is safe in a path.
        using var response = await http.GetAsync("residents/" + personalIdNumber, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return await UnexpectedStatusAsync(response, cancellationToken);
        }

        var (identity, unreadable) = await ReadIdentityAsync(response, cancellationToken);
        if (identity is null)
        {
            return RequestOutcome.ContractBreach("200 with unreadable body", unreadable);
        }

        return identity.PersonalIdNumber switch
        {
            null => RequestOutcome.ContractBreach("200 without personalIdNumber", null),
            var id when id == personalIdNumber => RequestOutcome.Success(response.StatusCode),
            var id => RequestOutcome.ContractBreach("200 for another person", $"asked {personalIdNumber}, got {id}"),
        };
    }

    private static async ValueTask<RequestOutcome> UnexpectedStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Errors are RFC 7807 problem details; the body's start names the field or the reason.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return RequestOutcome.UnexpectedStatus(response.StatusCode, body);
    }

    private static async ValueTask<(ResidentIdentity? Identity, string? Problem)> ReadIdentityAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var identity = await response.Content.ReadFromJsonAsync(ResidentsJson.Default.ResidentIdentity, cancellationToken);
            return (identity, identity is null ? "null" : null);
        }
        catch (JsonException exception)
        {
            return (null, exception.Message);
        }
        catch (NotSupportedException exception)
        {
            // Thrown for a content type that is not JSON.
            return (null, exception.Message);
        }
    }
}
