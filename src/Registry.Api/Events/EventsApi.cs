using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts.Events;
using Registry.Database.Events;
using Registry.Domain.Residents;

namespace Registry.Api.Events;

/// <summary>The <c>/events</c> resource: the registry's events in order, for subscribers catching up.</summary>
public static class EventsApi
{
    /// <summary>Most events in one page.</summary>
    public const int MaxLimit = 1_000;

    /// <summary>Maps the events endpoint.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/events").WithTags("Events").AuditsPersonalData()
            .MapGet("/", ReadAsync)
            .WithName("ReadEvents")
            .RequireAuthorization(RegistryPolicies.Read)
            .WithSummary("Births, deaths, relocations and reorganisations after a position, in the order they were published")
            .WithDescription("The same events as the Orleans stream registry/events, each with its position: a subscriber that missed some reads " +
                             $"from the position of the last one it has (after=0 from the start), up to {MaxLimit} at a time, and deduplicates by eventId.");
        return endpoints;
    }

    private static async Task<Results<Ok<RegistryEvent[]>, RefusalProblem>> ReadAsync(long? after, int? limit, EventFeed feed, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.Add("after", after is < 0 ? "The position is 0 or more." : null);
        errors.Add("limit", limit is < 1 or > MaxLimit ? $"limit is 1 to {MaxLimit}." : null);
        if (errors.Any)
        {
            return RequestProblems.Invalid(errors.ToArray());
        }

        var (events, _) = await feed.ReadAsync(after ?? 0, limit ?? 100, cancellationToken);
        return TypedResults.Ok(events);
    }
}
