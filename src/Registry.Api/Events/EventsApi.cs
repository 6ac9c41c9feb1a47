using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Access;
using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Api.Partners;
using Registry.Contracts.Access;
using Registry.Contracts.Events;
using Registry.Database.Events;
using Registry.Database.Partners;
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
        endpoints.MapGroup("/events").WithTags("Events").AuditsPersonalData()
            .MapGet("/", ReadAsync)
            .WithName("ReadEvents")
            .RequireAuthorization(RegistryPolicies.Read)
            .AuditsPersonalData()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Births, deaths, relocations and reorganisations after a position, in the order they were published")
            .WithDescription("The same events as the Orleans stream registry/events, each with its position: a subscriber that missed some reads " +
                             $"from the position of the last one it has (after=0 from the start), up to {MaxLimit} at a time, and deduplicates by eventId. " +
                             "A central administrator reads every event; a provincial officer the events of their province (births and deaths there, " +
                             "moves out of or into it); a ministry partner only the kinds of event and the fields its policy gives " +
                             "(kind, recordedAt and position always; eventId and personalIdNumber with the field personalIdNumber; provinceCode and " +
                             "toProvinceCode with permanentResidenceProvince); citizens and operators get 403. " +
                             $"The caller states a purpose in the headers {PurposeHeaders.Code} and {PurposeHeaders.Note} (400 without one; a partner's within its policy).");
        return endpoints;
    }

    private static async Task<Results<Ok<RegistryEvent[]>, JsonHttpResult<IReadOnlyDictionary<string, object?>[]>, RefusalProblem>> ReadAsync(
        long? after, int? limit, HttpContext context, EventFeed feed, PartnerPolicyStore policies, CancellationToken cancellationToken)
    {
        var actor = context.User.ToActor();
        if (Readers.RefusalFor(actor, PersonalDataKind.Events) is { } refusal)
        {
            return context.RefuseRead(refusal);
        }

        var errors = new FieldErrors();
        errors.Add("after", after is < 0 ? "The position is 0 or more." : null);
        errors.Add("limit", limit is < 1 or > MaxLimit ? $"limit is 1 to {MaxLimit}." : null);
        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        if (actor.Role == ActorRole.MinistryPartner)
        {
            // The policy's purposes, event kinds and fields, checked by the partner's gate.
            var (page, refused) = await PartnerEvents.ReadAsync(context, actor, policies, feed, after ?? 0, limit ?? 100, cancellationToken);
            return page is not null ? TypedResults.Json(page) : refused!;
        }

        if (context.StatePurpose(actor) is { } purpose)
        {
            errors.Add(purpose.Field, purpose.Message);
        }

        if (errors.Any)
        {
            return context.RefuseInvalid(errors.ToArray());
        }

        var (events, _) = await feed.ReadAsync(after ?? 0, limit ?? 100, Readers.LimitedTo(actor), kinds: null, cancellationToken);
        var audit = context.Audit();
        foreach (var read in events)
        {
            audit.Touch(read.PersonalIdNumber, PersonalDataReads.FieldsOf<RegistryEvent>());
        }

        return TypedResults.Ok(events);
    }
}
