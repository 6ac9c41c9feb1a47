using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Errors;
using Registry.Api.Hosting;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Api.Provinces;

/// <summary>The <c>/provinces</c> resource: a province's counters.</summary>
public static class ProvincesApi
{
    /// <summary>Maps the province endpoints.</summary>
    public static IEndpointRouteBuilder MapProvincesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/provinces").WithTags("Provinces").RequireClusterConnection()
            .MapGet("/{code}", GetAsync)
            .WithName("GetProvince")
            .WithSummary("Read a province's resident count")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<Results<Ok<ProvinceResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(string code, IClusterClient cluster)
    {
        if (code is not { Length: 3 } || !code.All(char.IsAsciiDigit))
        {
            return RequestProblems.Invalid([new FieldError("code", "A province code has 3 digits, e.g. 001.")]);
        }

        if (ProvinceCatalog.Find(code) is not { } province)
        {
            return TypedResults.Problem(
                title: "No province has this code.",
                detail: $"'{code}' is not one of the 63 province codes.",
                statusCode: StatusCodes.Status404NotFound);
        }

        var counts = await cluster.Province(code).GetCountsAsync();
        return TypedResults.Ok(new ProvinceResponse(province.Code, province.Name, counts.Residents));
    }
}

/// <summary>A province and its counters.</summary>
public sealed record ProvinceResponse(string Code, string Name, long Residents);
