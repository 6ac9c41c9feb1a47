using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Errors;
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
        endpoints.MapGroup("/provinces").WithTags("Provinces")
            .MapGet("/{code}", GetAsync)
            .WithName("GetProvince")
            .WithSummary("Read a province's resident count");
        return endpoints;
    }

    private static async Task<Results<Ok<ProvinceResponse>, ValidationProblem, NotFound<ProblemDetails>>> GetAsync(string code, IClusterClient cluster)
    {
        if (code is not { Length: 3 } || !code.All(char.IsAsciiDigit))
        {
            return RequestProblems.Invalid([new FieldError("code", "A province code has 3 digits, e.g. 001.")]);
        }

        if (ProvinceCatalog.Find(code) is not { } province)
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "No province has this code.",
                Status = StatusCodes.Status404NotFound,
                Detail = $"'{code}' is not one of the 63 province codes.",
            });
        }

        var counts = await cluster.Province(code).GetCountsAsync();
        return TypedResults.Ok(new ProvinceResponse(province.Code, province.Name, counts.Residents));
    }
}

/// <summary>A province and its counters.</summary>
public sealed record ProvinceResponse(string Code, string Name, long Residents);
