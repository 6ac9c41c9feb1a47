using Registry.Contracts.Access;

namespace Registry.Domain.Access;

/// <summary>
/// Who may act for which province (design, access and privacy): a provincial officer acts only for their own
/// province — its residents' records, the people born there, moves and temporary residence into it, its batches — and a
/// central administrator for every province. Ministry partners and citizens write nothing. Every writer check of the
/// registry asks here, so the rule has one wording and one place to change.
/// </summary>
public static class Jurisdiction
{
    /// <summary>
    /// Why <paramref name="actor"/> may not do <paramref name="act"/> for <paramref name="province"/>, or null when
    /// they may. The reason names the actor's province and the one asked for, for the caller's 403 answer.
    /// </summary>
    /// <param name="actor">Who asks; authenticated before it gets here.</param>
    /// <param name="province">The province the act is for (a resident's, a birth's, a destination's, a batch's).</param>
    /// <param name="act">What the actor does, as it reads after "an officer of province P", e.g. "registers moves into".</param>
    public static string? RefusalFor(Actor actor, string? province, string act)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role switch
        {
            ActorRole.CentralAdministrator => null,
            ActorRole.ProvincialOfficer when actor.ProvinceCode is not null && actor.ProvinceCode == province => null,
            ActorRole.ProvincialOfficer => $"An officer of province {actor.ProvinceCode} {act} that province only; this is {province}.",
            _ => "Only provincial officers and central administrators write to the registry.",
        };
    }
}
