using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Database.Residents;
using Registry.Domain.Residents;

namespace Registry.Api.Provinces;

/// <summary>The <c>/provinces</c> resource: a province's counters and communes, and the reconciliation of all counters.</summary>
public static class ProvincesApi
{
    /// <summary>Maps the province endpoints.</summary>
    public static IEndpointRouteBuilder MapProvincesApi(this IEndpointRouteBuilder endpoints)
    {
        var provinces = endpoints.MapGroup("/provinces").WithTags("Provinces").RequireClusterConnection();
        provinces.MapGet("/{code}", GetAsync)
            .WithName("GetProvince")
            .WithSummary("Read a province's counters: residents by sex and age band, arrivals, departures, births, deaths")
            .ProducesProblem(StatusCodes.Status404NotFound);
        provinces.MapGet("/{code}/communes", GetCommunesAsync)
            .WithName("GetCommunes")
            .WithSummary("List a province's communes and wards")
            .ProducesProblem(StatusCodes.Status404NotFound);
        provinces.MapPut("/{code}/communes/{communeCode}", SetCommuneAsync)
            .WithName("SetCommune")
            .RequireAuthorization(RegistryPolicies.Administer)
            .WithSummary("Add a commune or ward to a province, or rename it (central administrators)")
            .WithDescription("Communes and wards are reference data: a relocation's destination must be one of its province's.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        provinces.MapGet("/reconciliation", ReconcileAsync)
            .WithName("ReconcileProvinces")
            .RequireAuthorization(RegistryPolicies.Administer)
            .WithSummary("Recompute resident counts from the read model and report each province's drift from its counters")
            .WithDescription("Drift is the province's counter minus the read model's count of living people under their current number " +
                             "whose permanent residence is there. At rest every drift is zero; while changes are in flight, a few may show.");
        return endpoints;
    }

    private static Task<Results<Ok<ProvinceResponse>, RefusalProblem>> GetAsync(string code, IClusterClient cluster) =>
        ForProvince(code, async () => ProvinceResponse.From(ProvinceCatalog.Find(code)!, await cluster.Province(code).GetCountsAsync()));

    private static Task<Results<Ok<Commune[]>, RefusalProblem>> GetCommunesAsync(string code, IClusterClient cluster) =>
        ForProvince(code, () => cluster.Province(code).GetCommunesAsync());

    private static Task<Results<Ok<Commune>, RefusalProblem>> SetCommuneAsync(
        string code, string communeCode, SetCommuneRequest request, IClusterClient cluster) =>
        ForProvince<Commune>(code, () => StoreCommuneAsync(cluster.Province(code), communeCode, request));

    private static async Task<Results<Ok<Commune>, RefusalProblem>> StoreCommuneAsync(
        IProvinceGrain province, string communeCode, SetCommuneRequest request)
    {
        var errors = new FieldErrors();
        errors.Add("communeCode", Commune.CheckCode(communeCode));
        errors.Add("name", request.Name is null ? "The commune's name is required." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var commune = new Commune(communeCode, request.Name!);
        if (await province.SetCommuneAsync(commune) is { } refused)
        {
            return RequestProblems.Invalid([refused]);
        }

        return TypedResults.Ok(commune with { Name = commune.Name.Normalize().Trim() });
    }

    private static async Task<Ok<ReconciliationResponse>> ReconcileAsync(IClusterClient cluster, ResidentCensus census, CancellationToken cancellationToken)
    {
        var counted = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => cluster.Province(province.Code).GetCountsAsync()));
        var inReadModel = await census.CountByProvinceAsync(cancellationToken);
        var provinces = counted
            .Select(counts => new ProvinceDrift(counts.ProvinceCode, counts.Residents, inReadModel.GetValueOrDefault(counts.ProvinceCode)))
            .OrderBy(drift => drift.ProvinceCode, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(new ReconciliationResponse(
            provinces.Sum(province => province.Counted), inReadModel.Values.Sum(), provinces.Sum(province => Math.Abs(province.Drift)), provinces));
    }

    /// <summary>
    /// Why <paramref name="code"/> names no province, or null when it names one: a malformed code is the caller's error
    /// (400), an unknown one a missing resource (404).
    /// </summary>
    internal static Refusal? RefusalOf(string code) =>
        code is not { Length: 3 } || !code.All(char.IsAsciiDigit) ? Refusal.Invalid("code", "A province code has 3 digits, e.g. 001.")
        : !ProvinceCatalog.IsKnown(code) ? new Refusal(RefusalKind.NotFound, "No province has this code.", [new FieldError("code", $"'{code}' is not one of the 63 province codes.")])
        : null;

    private static async Task<Results<Ok<T>, RefusalProblem>> ForProvince<T>(string code, Func<Task<T>> read) =>
        RefusalOf(code) is { } refusal ? RequestProblems.For(refusal) : TypedResults.Ok(await read());

    private static async Task<Results<Ok<T>, RefusalProblem>> ForProvince<T>(string code, Func<Task<Results<Ok<T>, RefusalProblem>>> write) =>
        RefusalOf(code) is { } refusal ? RequestProblems.For(refusal) : await write();
}

/// <summary>A province and its counters.</summary>
/// <param name="Code">The province's code.</param>
/// <param name="Name">Its name.</param>
/// <param name="Residents">People whose permanent residence is here.</param>
/// <param name="Male">Of them, men.</param>
/// <param name="Female">Of them, women.</param>
/// <param name="AgeBands">Of them, by age reached this year: 0-13, 14-24, 25-39, 40-59, 60+ (the ID card's renewal ages).</param>
/// <param name="Arrivals">Relocations into the province.</param>
/// <param name="Departures">Relocations out of it.</param>
/// <param name="Births">Newborns registered here.</param>
/// <param name="Deaths">Residents' deaths.</param>
public sealed record ProvinceResponse(
    string Code, string Name, long Residents, long Male, long Female, AgeBandCount[] AgeBands, long Arrivals, long Departures, long Births, long Deaths)
{
    /// <summary>The response for <paramref name="province"/> with <paramref name="counts"/>.</summary>
    public static ProvinceResponse From(Province2024 province, ProvinceCounts counts)
    {
        ArgumentNullException.ThrowIfNull(province);
        ArgumentNullException.ThrowIfNull(counts);
        return new(province.Code, province.Name, counts.Residents, counts.Male, counts.Female, counts.AgeBands,
            counts.Arrivals, counts.Departures, counts.Births, counts.Deaths);
    }
}

/// <summary>Body of <c>PUT /provinces/{code}/communes/{communeCode}</c>.</summary>
/// <param name="Name">The commune's or ward's name.</param>
public sealed record SetCommuneRequest(string? Name);

/// <summary>Province counters against the read model.</summary>
/// <param name="Counted">Residents by the province counters, all provinces.</param>
/// <param name="InReadModel">Living people under their current number in the read model.</param>
/// <param name="TotalAbsoluteDrift">The sum of every province's drift, each taken positive: zero at rest.</param>
/// <param name="Provinces">Each province.</param>
public sealed record ReconciliationResponse(long Counted, long InReadModel, long TotalAbsoluteDrift, ProvinceDrift[] Provinces);

/// <summary>One province's counter against the read model.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="Counted">Its resident counter.</param>
/// <param name="InReadModel">Living people under their current number whose permanent residence it is.</param>
public sealed record ProvinceDrift(string ProvinceCode, long Counted, long InReadModel)
{
    /// <summary>Counted minus in the read model.</summary>
    public long Drift => Counted - InReadModel;
}
