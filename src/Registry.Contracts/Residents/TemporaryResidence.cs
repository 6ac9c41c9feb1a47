using Registry.Contracts.Access;

namespace Registry.Contracts.Residents;

/// <summary>
/// A temporary residence (Law on Residence 68/2020 Art. 27): required after 30 days living away from the permanent
/// residence, for at most two years at a time, and extensible, each extension again for at most two years.
/// </summary>
/// <param name="Address">Where the person lives temporarily.</param>
/// <param name="From">First day.</param>
/// <param name="Until">Last day; at most two years after the registration or extension that set it.</param>
[GenerateSerializer, Immutable, Alias("registry.TemporaryResidence")]
public sealed record TemporaryResidence([property: Id(0)] ResidenceAddress Address, [property: Id(1)] DateOnly From, [property: Id(2)] DateOnly Until)
{
    /// <summary>Longest a registration or an extension lasts.</summary>
    public const int MaxYears = 2;
}

/// <summary>A declared temporary absence from the permanent residence (Law on Residence 68/2020 Art. 31).</summary>
/// <param name="From">First day away.</param>
/// <param name="Until">Last day away, when known.</param>
/// <param name="Destination">Where the person goes, as declared.</param>
[GenerateSerializer, Immutable, Alias("registry.TemporaryAbsence")]
public sealed record TemporaryAbsence([property: Id(0)] DateOnly From, [property: Id(1)] DateOnly? Until, [property: Id(2)] string? Destination);

/// <summary>Register a temporary residence, or extend the current one (same address, a later end).</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the command with it has the effect of one.</param>
/// <param name="Actor">Who registers it: an officer of the province of the temporary residence, or a central administrator.</param>
/// <param name="Address">The temporary residence; a current province and one of its communes, not the permanent residence.</param>
/// <param name="From">First day, not in the future.</param>
/// <param name="Until">Last day: not in the past, at most two years from today (the day of the registration or extension).</param>
[GenerateSerializer, Immutable, Alias("registry.RegisterTemporaryResidence")]
public sealed record RegisterTemporaryResidence(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] ResidenceAddress Address,
    [property: Id(3)] DateOnly From,
    [property: Id(4)] DateOnly Until);

/// <summary>Declare a temporary absence from the permanent residence.</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the command with it has the effect of one.</param>
/// <param name="Actor">Who records it: an officer of the province of the permanent residence, or a central administrator.</param>
/// <param name="From">First day away, not in the future.</param>
/// <param name="Until">Last day away when known, not before <paramref name="From"/>.</param>
/// <param name="Destination">Where the person goes.</param>
[GenerateSerializer, Immutable, Alias("registry.DeclareTemporaryAbsence")]
public sealed record DeclareTemporaryAbsence(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] DateOnly From,
    [property: Id(3)] DateOnly? Until,
    [property: Id(4)] string? Destination);
