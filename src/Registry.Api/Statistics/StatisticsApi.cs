using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts.Provinces;
using Registry.Database.Statistics;
using Registry.Domain.Residents;
using Registry.Domain;

namespace Registry.Api.Statistics;

/// <summary>The <c>/statistics</c> resource: figures over many people, computed in PostgreSQL, never by scanning grains.</summary>
public static class StatisticsApi
{
    private const string DateFormat = "yyyy-MM-dd";

    // Earlier days hold no move (the oldest ID numbers are of people born in 1900, Decree 137/2015), and refusing them
    // keeps midnight in Vietnam of day one, which is before DateTimeOffset.MinValue in UTC, out of the arithmetic.
    private static readonly DateOnly FirstDay = new(1900, 1, 1);

    private static readonly Dictionary<string, (string Description, bool IsDate)> Parameters = new(StringComparer.Ordinal)
    {
        ["from"] = ("The first day of the period, yyyy-MM-dd, a calendar day in Vietnam (UTC+7), e.g. 2026-01-01. Required.", true),
        ["to"] = ($"The day after the last one (excluded), yyyy-MM-dd, e.g. 2026-02-01 for January. Required; after 'from', at most {MigrationStatistics.MaxPeriodDays} days later.", true),
        ["province"] = ("Only moves out of or into this province: one of the 63 codes, e.g. 079. Its partners are listed in the matrix, and only it in 'provinces'.", false),
    };

    /// <summary>Maps the statistics endpoints.</summary>
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder endpoints)
    {
        // Reads PostgreSQL only, so it answers while the cluster is unreachable: no RequireClusterConnection.
        var statistics = endpoints.MapGroup("/statistics").WithTags("Statistics").RequireAuthorization(RegistryPolicies.Read).AuditsPersonalData();
        statistics.MapGet("/migration", ReadMigrationAsync)
            .WithName("GetMigrationStatistics")
            .WithSummary("Migration between provinces in a period: the origin-destination matrix, and inbound, outbound and net per province")
            .WithDescription("Days are Vietnam's calendar days (UTC+7): from=2026-01-01&to=2026-02-01 is January, from 2025-12-31T17:00Z included " +
                             "to 2026-01-31T17:00Z excluded. A move counts in the period in which the registry recorded it, not on the movedOn date it " +
                             "declares; moves within a province are not migration between provinces and are not counted. Read from the province ledger, " +
                             "which every relocation writes before it is acknowledged.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The dates are bound as text so that a bad one is refused naming its parameter; the document still says they are dates.
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    if (parameter.Name is { } name && Parameters.TryGetValue(name, out var described))
                    {
                        parameter.Description = described.Description;
                        if (described.IsDate)
                        {
                            parameter.Required = true;
                            parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" };
                        }
                    }
                }

                return Task.CompletedTask;
            });
        return endpoints;
    }

    private static async Task<Results<Ok<MigrationStatisticsResponse>, RefusalProblem>> ReadMigrationAsync(
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? province,
        MigrationStatistics statistics,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var first = Day(from, "from", errors);
        var end = Day(to, "to", errors);
        if (first is { } start && end is { } stop)
        {
            var days = stop.DayNumber - start.DayNumber;
            errors.Add("to", days <= 0 ? $"'to' is the day after the period and must be after 'from' ({start.ToString(DateFormat, CultureInfo.InvariantCulture)})."
                : days > MigrationStatistics.MaxPeriodDays ? $"A period has at most {MigrationStatistics.MaxPeriodDays} days; this one has {days}."
                : null);
        }

        // An empty parameter (?province=) means the caller did not choose one.
        var filter = string.IsNullOrEmpty(province) ? null : province;
        errors.Add("province", filter is null || ProvinceCatalog.IsKnown(filter) ? null : $"A province is one of the 63 codes, e.g. 079. Got '{filter}'.");
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var period = new MigrationPeriod(first!.Value, end!.Value, StartOf(first.Value), StartOf(end.Value));
        var matrix = await statistics.ReadAsync(period.StartsAt, period.EndsBefore, filter, cancellationToken);
        return TypedResults.Ok(new MigrationStatisticsResponse(period, filter, matrix.TotalMoves, [.. matrix.Flows], [.. matrix.Provinces]));
    }

    /// <summary>The day in <paramref name="text"/>; a refusal of <paramref name="field"/> when it is absent or not a yyyy-MM-dd date.</summary>
    private static DateOnly? Day(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, $"'{field}' is required: a day written yyyy-MM-dd, e.g. 2026-01-01.");
            return null;
        }

        if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors.Add(field, day < FirstDay ? $"A day is {FirstDay.ToString(DateFormat, CultureInfo.InvariantCulture)} or later. Got '{text}'." : null);
            return day < FirstDay ? null : day;
        }

        errors.Add(field, $"A day is written yyyy-MM-dd, e.g. 2026-01-01. Got '{text}'.");
        return null;
    }

    // Midnight in Vietnam, which keeps UTC+7 all year (no daylight saving), as the UTC instant the ledger compares with.
    private static DateTimeOffset StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), VietnamCalendar.Offset).ToUniversalTime();
}

/// <summary>Answer of <c>GET /statistics/migration</c>.</summary>
/// <param name="Period">The days asked for and the instants they span.</param>
/// <param name="Province">The province filter, or null for all provinces.</param>
/// <param name="TotalMoves">Moves between provinces recorded in the period (with a filter, those out of or into it).</param>
/// <param name="Matrix">Each pair of provinces with at least one move, ordered by origin then destination code.</param>
/// <param name="Provinces">
/// Each province with a move in or out, by code, with inbound, outbound and net (inbound minus outbound); with a
/// filter only the filtered province, listed even when nothing moved.
/// </param>
public sealed record MigrationStatisticsResponse(
    MigrationPeriod Period, string? Province, long TotalMoves, MigrationFlow[] Matrix, ProvinceMigration[] Provinces);

/// <summary>A period of Vietnam's calendar days.</summary>
/// <param name="From">The first day.</param>
/// <param name="To">The day after the last one.</param>
/// <param name="StartsAt">Midnight of <paramref name="From"/> in Vietnam, in UTC: the first instant counted.</param>
/// <param name="EndsBefore">Midnight of <paramref name="To"/> in Vietnam, in UTC: the first instant not counted.</param>
public sealed record MigrationPeriod(DateOnly From, DateOnly To, DateTimeOffset StartsAt, DateTimeOffset EndsBefore);
