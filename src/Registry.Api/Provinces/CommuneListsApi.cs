using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Domain;
using Registry.Domain.Access;
using Registry.Domain.Residents;
using Registry.Domain.Provinces;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Database.Communes;

namespace Registry.Api.Provinces;

/// <summary>
/// The national commune lists: importing one (<c>POST /commune-lists</c>, what <c>registry-admin communes import</c>
/// sends) and a province's residents whose commune is not in the list in force (<c>GET /provinces/{code}/addresses-to-update</c>).
/// </summary>
public static class CommuneListsApi
{
    /// <summary>Longest list accepted: the 2024 list, the longest there is, has 0.5 MB.</summary>
    private const int MaxListBytes = 4 * 1024 * 1024;

    /// <summary>Default and largest page of addresses to update.</summary>
    private const int DefaultLimit = 100, MaxLimit = 1000;

    /// <summary>Maps the commune list endpoints.</summary>
    public static IEndpointRouteBuilder MapCommuneListsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/commune-lists").WithTags("Provinces").RequireClusterConnection()
            .MapPost("/", ImportAsync)
            .WithName("ImportCommuneList")
            .RequireAuthorization(RegistryPolicies.Administer)
            .Accepts<string>("text/csv")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Import a national commune list (central administrators)")
            .WithDescription($"The body is the list as CSV with the header {CommuneList.Header2024} (a list of the 63 units of 2024) or " +
                             $"{CommuneList.Header2025} (a list of the units after Resolution 202/2025/QH15), one line per commune. The list " +
                             "replaces any list stored for the same units; the same list again changes nothing (outcome unchanged). A list for " +
                             "units that are not current yet is held until a reorganisation makes them current, then it is in force: from then " +
                             "on a relocation's or temporary residence's commune, and a commune added to a province, must be one of that " +
                             "province's in the list. A list with a wrong header, a malformed code, a province not among its units or a commune " +
                             "code listed twice is refused with 400 naming the line and column, and nothing is stored.");
        endpoints.MapGroup("/provinces").WithTags("Provinces").RequireClusterConnection()
            .MapGet("/{code}/addresses-to-update", GetAddressesToUpdateAsync)
            .AuditsPersonalData()
            .WithName("GetAddressesToUpdate")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A province's living residents whose permanent commune is not one of its communes in the national list in force")
            .WithDescription("In number order, a page at a time: pass the last number of a page as after to read the next. After the 2025 " +
                             "list comes into force, every resident whose record still holds a 2024 commune is listed here until their " +
                             "address is updated (an old commune was often split, so the new one cannot be derived from its code). " +
                             "Nobody is listed while no list is in force. Officers of the province and central administrators read it, stating a " +
                             $"purpose in {PurposeHeaders.Code} and {PurposeHeaders.Note}.");
        return endpoints;
    }

    private static async Task<Results<Ok<CommuneListImported>, RefusalProblem>> ImportAsync(
        HttpRequest request, IClusterClient cluster, CommuneLists lists, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxListBytes)
        {
            return RequestProblems.Invalid([new FieldError("list", $"A commune list has at most {MaxListBytes} bytes.")]);
        }

        string text;
        using (var reader = new StreamReader(request.Body))
        {
            var buffer = new char[MaxListBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            if (read > MaxListBytes)
            {
                return RequestProblems.Invalid([new FieldError("list", $"A commune list has at most {MaxListBytes} characters.")]);
            }

            text = new string(buffer, 0, read);
        }

        var (list, errors) = CommuneList.Parse(new StringReader(text));
        if (list is null)
        {
            return RequestProblems.Invalid(errors);
        }

        var outcome = await lists.ImportAsync(list, cancellationToken);
        // Every province, also after an unchanged import: an earlier import whose reloads were cut short is finished so.
        await Task.WhenAll(ProvinceCatalog.All2024.Select(province => cluster.Province(province.Code).ReloadCommuneListAsync()));
        var plans = await cluster.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync();
        var inForce = CommuneList.InForce(await lists.StoredUnitsAsync(cancellationToken), plans, VietnamCalendar.Today(time)) == list.Units;
        return TypedResults.Ok(new CommuneListImported(list.Units, list.Communes.Count, outcome.ToString().ToLowerInvariant(), inForce));
    }

    private static async Task<Results<Ok<AddressesToUpdatePage>, RefusalProblem>> GetAddressesToUpdateAsync(
        string code, string? after, int? limit, HttpContext context, IClusterClient cluster, CommuneLists lists, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (Readers.RefusalFor(actor, PersonalDataKind.ProvinceDetail) is { } never)
        {
            return context.RefuseRead(never);
        }

        var errors = new FieldErrors();
        errors.Add("code", code is { Length: 3 } && code.All(char.IsAsciiDigit) ? null : "A province code has 3 digits, e.g. 001.");
        PersonalIdNumber? from = null;
        if (after is not null)
        {
            errors.Add("after", PersonalIdNumber.TryParse(after, out var number, out var error) ? null : error);
            from = error is null ? number : null;
        }

        errors.Add("limit", limit is null or (>= 1 and <= MaxLimit) ? null : $"The page size is 1 to {MaxLimit}; {DefaultLimit} when omitted.");
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        if (ProvincesApi.RefusalOf(code) is { } unknown)
        {
            return RequestProblems.For(unknown);
        }

        if (Readers.RefusalFor(actor, PersonalDataKind.ProvinceDetail, code) is { } elsewhere)
        {
            return context.RefuseRead(elsewhere);
        }

        if (await cluster.Province(code).GetCommuneListAsync() is not { } inForce)
        {
            return TypedResults.Ok(new AddressesToUpdatePage(code, null, [], null));
        }

        var size = limit ?? DefaultLimit;
        var residents = await lists.AddressesToUpdateAsync(code, inForce, from, size, cancellationToken);
        var audit = context.Audit();
        foreach (var resident in residents)
        {
            audit.Touch(resident.PersonalIdNumber.Value, PersonalDataReads.FieldsOf<AddressToUpdateResponse>());
        }

        return TypedResults.Ok(new AddressesToUpdatePage(
            code,
            inForce.Units,
            [.. residents.Select(static resident => new AddressToUpdateResponse(resident.PersonalIdNumber.Value, resident.FullName, resident.CommuneCode))],
            residents.Length == size ? residents[^1].PersonalIdNumber.Value : null));
    }
}

/// <summary>What an import did.</summary>
/// <param name="Units">Which units the list is for: <c>2024</c>, or the plan after which its units are current.</param>
/// <param name="Communes">Communes in the list.</param>
/// <param name="Outcome"><c>imported</c> (no list was stored for these units), <c>replaced</c> (another one was), or <c>unchanged</c> (this one was).</param>
/// <param name="InForce">Whether it is the list in force now; false while it is held for units not current yet.</param>
public sealed record CommuneListImported(string Units, int Communes, string Outcome, bool InForce);

/// <summary>A page of a province's addresses to update.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="CommuneList">The units of the list in force; null while none is (and nobody is listed).</param>
/// <param name="Residents">The page, in number order.</param>
/// <param name="Next">The value of <c>after</c> for the next page; null on the last.</param>
public sealed record AddressesToUpdatePage(string ProvinceCode, string? CommuneList, AddressToUpdateResponse[] Residents, string? Next);

/// <summary>A resident whose commune is to update.</summary>
/// <param name="PersonalIdNumber">Their number.</param>
/// <param name="FullName">Their name.</param>
/// <param name="CommuneCode">The commune on their record, not in the list in force.</param>
public sealed record AddressToUpdateResponse(string PersonalIdNumber, string FullName, string CommuneCode);
