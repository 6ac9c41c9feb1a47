using Registry.Api.Audit;
using Registry.Api.Errors;
using Registry.Contracts.Access;
using Registry.Database.Events;
using Registry.Database.Partners;
using Registry.Domain.Access;

namespace Registry.Api.Partners;

/// <summary>
/// <c>GET /events</c> as a ministry partner reads it: only the kinds of event its policy names (filtered in the query,
/// so that its pages advance) and of each only the fields its policy gives (<see cref="PartnerFields.Disclose(Contracts.Events.RegistryEvent, PartnerPolicy)"/>).
/// </summary>
internal static class PartnerEvents
{
    /// <summary>The partner's page of events after <paramref name="after"/>, or the refusal of its request.</summary>
    public static async Task<(IReadOnlyDictionary<string, object?>[]? Page, RefusalProblem? Refused)> ReadAsync(
        HttpContext context, Actor partner, PartnerPolicyStore policies, EventFeed feed, long after, int limit, CancellationToken cancellationToken)
    {
        var (policy, refused) = await PartnerGate.AdmitAsync(context, partner, policies, cancellationToken);
        if (refused is not null)
        {
            return (null, refused);
        }

        var (events, _) = policy!.EventKinds.Count == 0
            ? ([], after)
            : await feed.ReadAsync(after, limit, province: null, policy.EventKinds, cancellationToken);
        var fields = PartnerFields.OfEvents(policy);
        foreach (var registryEvent in events)
        {
            context.Audit().Touch(registryEvent.PersonalIdNumber, fields);
        }

        return ([.. events.Select(registryEvent => PartnerFields.Disclose(registryEvent, policy))], null);
    }
}
