using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Errors;
using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.ReadModel.Migration;

namespace Registry.Api.Statistics;

/// <summary>The <c>/statistics</c> resource: figures over many people, from the read model.</summary>
public static class StatisticsApi
{
    /// <summary>Longest period of one request.</summary>
    public const int MaxDays = 366;

    /// <summary>Maps the statistics endpoints.</summary>
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/statistics").WithTags("Statistics")
            .MapGet("/migration", GetMigrationAsync)
            .WithName("GetMigrationStatistics")
            .RequireAuthorization(RegistryPolicies.Read)
            .WithSummary("Internal migration of a period: the origin–destination matrix, and each province's inbound, outbound and net")
            .WithDescription($"from and to are days (yyyy-MM-dd) in Vietnam's calendar (UTC+7), to excluded, at most {MaxDays} days apart. A move " +
                             "counts on the day it was registered; moves within a province and province reorganisations are not counted.");
        return endpoints;
    }

    private static async Task<Results<Ok<MigrationMatrix>, ValidationProblem>> GetMigrationAsync(
        string? from, string? to, MigrationStatistics statistics, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var first = Day(from, "from", errors);
        var last = Day(to, "to", errors);
        if (first is { } start && last is { } end)
        {
            errors.Add("to", end <= start ? "The period ends after it starts: to is a later day than from."
                : end.DayNumber - start.DayNumber > MaxDays ? $"A period lasts at most {MaxDays} days." : null);
        }

        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        return TypedResults.Ok(await statistics.ReadAsync(VietnamCalendar.StartOf(first!.Value), VietnamCalendar.StartOf(last!.Value), cancellationToken));
    }

    private static DateOnly? Day(string? text, string field, FieldErrors errors)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(field, text is null ? $"{field} is required (yyyy-MM-dd)." : $"'{text}' is not a day (yyyy-MM-dd).");
        return null;
    }
}
