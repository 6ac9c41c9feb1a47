using Registry.Contracts.Identity;

namespace Registry.Contracts.Residents;

/// <summary>A person as the registry holds them. The citizen grain under <see cref="PersonalIdNumber"/> owns it.</summary>
/// <param name="PersonalIdNumber">The number for life.</param>
/// <param name="FullName">Full name in Vietnamese, Unicode NFC.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex.</param>
/// <param name="BirthRegistrationProvince">Code of the province where the birth was registered.</param>
/// <param name="PermanentResidenceProvince">Code of the province that counts the person as a resident.</param>
/// <param name="RegisteredAt">When the registry first recorded the person.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidentRecord")]
public sealed record ResidentRecord(
    [property: Id(0)] PersonalIdNumber PersonalIdNumber,
    [property: Id(1)] string FullName,
    [property: Id(2)] DateOnly BirthDate,
    [property: Id(3)] Sex Sex,
    [property: Id(4)] string BirthRegistrationProvince,
    [property: Id(5)] string PermanentResidenceProvince,
    [property: Id(6)] DateTimeOffset RegisteredAt);
