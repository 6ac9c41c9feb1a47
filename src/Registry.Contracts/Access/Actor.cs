namespace Registry.Contracts.Access;

/// <summary>Who asks for a change: recorded in a person's history and checked against what their role may do.</summary>
/// <param name="Id">The authenticated subject, e.g. an officer's staff id or a citizen's personal ID number; never a person's name.</param>
/// <param name="Role">What the subject may do.</param>
/// <param name="ProvinceCode">For a provincial officer, the province whose residents they may write; otherwise null.</param>
[GenerateSerializer, Immutable, Alias("registry.Actor")]
public sealed record Actor(
    [property: Id(0)] string Id,
    [property: Id(1)] ActorRole Role,
    [property: Id(2)] string? ProvinceCode);

/// <summary>The roles of the design's access rules.</summary>
[GenerateSerializer, Alias("registry.ActorRole")]
public enum ActorRole
{
    /// <summary>Writes only for their own province's residents.</summary>
    ProvincialOfficer = 0,

    /// <summary>May write anyone, and alone may correct a birth date or sex.</summary>
    CentralAdministrator = 1,

    /// <summary>A ministry's back-end: reads limited by a policy, never writes.</summary>
    MinistryPartner = 2,

    /// <summary>A person reading their own record; the actor's id is their personal ID number.</summary>
    Citizen = 3,

    /// <summary>Runs the cluster: dashboard, health and metrics, and no personal data at all.</summary>
    Operator = 4,
}
