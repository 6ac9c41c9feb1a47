using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts.Events;
using Registry.Database.Events;
using Registry.Domain.Access;
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
        endpoints.MapGroup("/events").WithTags("Events")
            .MapGet("/", ReadAsync)
            .WithName("ReadEvents")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Births, deaths, relocations and reorganisations after a position, in the order they were published")
            .WithDescription("The same events as the Orleans stream registry/events, each with its position: a subscriber that missed some reads " +
                             $"from the position of the last one it has (after=0 from the start), up to {MaxLimit} at a time, and deduplicates by eventId. " +
                             "A central administrator reads every event; a provincial officer the events of their province (births and deaths there, " +
                             "moves out of or into it); citizens, operators and, until partner policies name event kinds, ministry partners get 403. " +
                             $"The caller states a purpose in the headers {PurposeHeaders.Code} and {PurposeHeaders.Note} (400 without one).");
        return endpoints;
    }

    private static async Task<Results<Ok<RegistryEvent[]>, RefusalProblem>> ReadAsync(
        long? after, int? limit, HttpContext context, EventFeed feed, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        // The seam of partner policies: they will let a partner through with the event kinds of its policy.
        if (Readers.RefusalFor(actor, PersonalDataKind.Events) is { } refusal)
        {
            return context.RefuseRead(refusal);
        }

        var errors = new FieldErrors();
        errors.Add("after", after is < 0 ? "The position is 0 or more." : null);
        errors.Add("limit", limit is < 1 or > MaxLimit ? $"limit is 1 to {MaxLimit}." : null);
        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        var (events, _) = await feed.ReadAsync(after ?? 0, limit ?? 100, Readers.LimitedTo(actor), cancellationToken);
        var audit = context.Audit();
        foreach (var read in events)
        {
            audit.Touch(read.PersonalIdNumber, PersonalDataReads.FieldsOf<RegistryEvent>());
        }

        return TypedResults.Ok(events);
    }
}
