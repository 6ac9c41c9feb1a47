using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Access;

/// <summary>The kinds of resource through which the API hands out people's data; each has its own readers.</summary>
public enum PersonalDataKind
{
    /// <summary>One person's record (<c>GET /residents/{n}</c>, <c>GET /me</c>).</summary>
    Record = 0,

    /// <summary>One person's change history: who changed what, old and new values.</summary>
    History = 1,

    /// <summary>One person's numbers: the current one and those a correction replaced.</summary>
    Numbers = 2,

    /// <summary>A search over many people by name, birth year and province.</summary>
    Search = 3,

    /// <summary>The rows' results of a province's batch: numbers issued, duplicate candidates.</summary>
    BatchRows = 4,

    /// <summary>The feed of births, deaths, relocations and reorganisations, each naming a person.</summary>
    Events = 5,

    /// <summary>
    /// What a province holds below the province level: figures per commune, and lists of its residents (addresses to
    /// update). Figures of a whole province (counters, migration between provinces) are no personal data and not here.
    /// </summary>
    ProvinceDetail = 6,
}

/// <summary>
/// The facts of a person that decide who may read them.
/// </summary>
/// <param name="PersonalIdNumber">The current number; its first 3 digits are the province that registered the birth (Decree 137/2015).</param>
/// <param name="PreviousNumbers">Numbers the person held before a correction: a citizen whose token still names one is the same person.</param>
/// <param name="PermanentResidenceProvince">The province that counts the person as a resident.</param>
/// <param name="TemporaryResidenceProvince">The province of a temporary residence in force on the day asked; null when none is.</param>
public sealed record PersonFacts(
    PersonalIdNumber PersonalIdNumber,
    IReadOnlyList<PersonalIdNumber> PreviousNumbers,
    string PermanentResidenceProvince,
    string? TemporaryResidenceProvince)
{
    /// <summary>
    /// The facts of <paramref name="resident"/> on <paramref name="today"/>: a temporary residence counts from its first
    /// day to its last (Law on Residence 68/2020 Art. 27), not once it has lapsed.
    /// </summary>
    public static PersonFacts Of(ResidentRecord resident, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(resident);
        var temporary = resident.TemporaryResidence is { } residence && residence.From <= today && today <= residence.Until
            ? residence.Address.ProvinceCode
            : null;
        return new(resident.PersonalIdNumber, resident.PreviousNumbers, resident.PermanentResidenceProvince, temporary);
    }

    /// <summary>
    /// What <paramref name="number"/> alone says of whoever might hold it: their birth province (its first 3 digits). A
    /// caller who may read such a person may learn that nobody holds the number; anyone else is refused as for its holder.
    /// </summary>
    public static PersonFacts OfNumberAlone(PersonalIdNumber number) => new(number, [], number.BirthRegistrationProvince, null);

    /// <summary>Whether <paramref name="number"/> is this person's, now or before a correction.</summary>
    public bool Holds(string number) => PersonalIdNumber.Value == number || PreviousNumbers.Any(previous => previous.Value == number);
}

/// <summary>
/// Who may read whose data (issue 11, reads by role; design, access and privacy), decided here once and asked by every
/// endpoint that returns personal data:
/// <list type="bullet">
/// <item>a provincial officer reads the people whose permanent or temporary residence is in their province or whose birth
/// was registered there, and searches, lists and follows only those;</item>
/// <item>a central administrator reads everyone;</item>
/// <item>a ministry partner reads no record, search or history: only verification, eKYC and the event kinds of its policy;</item>
/// <item>a citizen reads their own record and history (their token's subject is their personal ID number), nothing else;</item>
/// <item>an operator runs the cluster and reads no personal data at all.</item>
/// </list>
/// Writes are <see cref="Jurisdiction"/>'s. A refusal says why without saying anything about the person asked for.
/// </summary>
public static class Readers
{
    /// <summary>
    /// Why <paramref name="actor"/> may not use <paramref name="kind"/> at all, or null when they may (for some people:
    /// the person or province is checked next).
    /// </summary>
    public static string? RefusalFor(Actor actor, PersonalDataKind kind)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return (actor.Role, kind) switch
        {
            (ActorRole.CentralAdministrator, _) => null,
            (ActorRole.ProvincialOfficer, _) => actor.ProvinceCode is null ? "A provincial officer without a province reads nobody." : null,
            (ActorRole.Citizen, PersonalDataKind.Record or PersonalDataKind.History or PersonalDataKind.Numbers) => null,
            (ActorRole.Citizen, _) => $"A citizen reads their own record and history only; {Describe(kind)} are for officials.",
            // A partner's feed holds only the event kinds and fields of its policy: PartnerPolicies decides that next.
            (ActorRole.MinistryPartner, PersonalDataKind.Events) => null,
            (ActorRole.MinistryPartner, _) => $"A ministry partner reads no {Describe(kind)}: it verifies details or asks eKYC fields under its policy.",
            (ActorRole.Operator, _) => "An operator runs the cluster (dashboard, health, metrics) and reads no personal data.",
            _ => $"The role {actor.Role} reads no personal data.",
        };
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not read <paramref name="person"/>'s record, history or numbers, or null when they
    /// may. Includes <see cref="RefusalFor(Actor, PersonalDataKind)"/> for <see cref="PersonalDataKind.Record"/>.
    /// </summary>
    public static string? RefusalFor(Actor actor, PersonFacts person)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(person);
        if (RefusalFor(actor, PersonalDataKind.Record) is { } refused)
        {
            return refused;
        }

        return actor.Role switch
        {
            ActorRole.CentralAdministrator => null,
            ActorRole.ProvincialOfficer when actor.ProvinceCode is { } own && Lives(person, own) => null,
            ActorRole.ProvincialOfficer =>
                $"An officer of province {actor.ProvinceCode} reads only people whose permanent or temporary residence is in that province " +
                "or whose birth was registered there; this person is not one of them.",
            ActorRole.Citizen when person.Holds(actor.Id) => null,
            ActorRole.Citizen => "A citizen reads their own record only.",
            _ => "This role reads no person's record.",
        };
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not use <paramref name="kind"/> for <paramref name="province"/> (a batch's, the
    /// province whose residents are listed), or null when they may: officers of that province and central administrators.
    /// </summary>
    public static string? RefusalFor(Actor actor, PersonalDataKind kind, string province)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (RefusalFor(actor, kind) is { } refused)
        {
            return refused;
        }

        return actor.Role switch
        {
            ActorRole.CentralAdministrator => null,
            ActorRole.ProvincialOfficer when actor.ProvinceCode == province => null,
            ActorRole.ProvincialOfficer => $"An officer of province {actor.ProvinceCode} reads {Describe(kind)} of that province only; this is {province}.",
            _ => $"Only provincial officers and central administrators read {Describe(kind)}.",
        };
    }

    /// <summary>
    /// The province whose people are all that <paramref name="actor"/> may find through a search or follow in the event
    /// feed (an officer's), or null when they may find everyone (an administrator). Only for an actor that
    /// <see cref="RefusalFor(Actor, PersonalDataKind)"/> admits; the read model applies it in SQL, before paging.
    /// </summary>
    public static string? LimitedTo(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role == ActorRole.CentralAdministrator ? null
            : actor.ProvinceCode ?? throw new ArgumentException($"A {actor.Role} reads no people through searches or feeds.", nameof(actor));
    }

    /// <summary>
    /// Whether <paramref name="actor"/> states a purpose for reading personal data (design: every read by an official
    /// or partner states one). A citizen reading their own data needs none: the reason is theirs.
    /// </summary>
    public static bool StatesPurpose(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role != ActorRole.Citizen;
    }

    // An officer's people: resident, temporarily resident, or registered at birth in the province. The read model's
    // search (ResidentDirectory) applies the same three conditions in SQL.
    private static bool Lives(PersonFacts person, string province) =>
        person.PermanentResidenceProvince == province
        || person.TemporaryResidenceProvince == province
        || person.PersonalIdNumber.BirthRegistrationProvince == province;

    private static string Describe(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Record => "records",
        PersonalDataKind.History => "histories",
        PersonalDataKind.Numbers => "number lineages",
        PersonalDataKind.Search => "searches of people",
        PersonalDataKind.BatchRows => "batch rows",
        PersonalDataKind.Events => "event feeds",
        PersonalDataKind.ProvinceDetail => "lists of residents and commune figures",
        _ => kind.ToString(),
    };
}
