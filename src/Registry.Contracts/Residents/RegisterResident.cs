using Registry.Contracts.Access;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Residents;

/// <summary>Register a person not yet in the registry and give them a personal ID number.</summary>
/// <param name="IdempotencyKey">Chosen by the caller; repeating the command with it has the effect of one.</param>
/// <param name="FullName">Full name in Vietnamese; normalised to NFC and trimmed by the registry.</param>
/// <param name="BirthDate">Date of birth, 1900-01-01 to today.</param>
/// <param name="Sex">Sex.</param>
/// <param name="BirthRegistrationProvince">Code of the province where the birth is registered (one of the 63 codes).</param>
[GenerateSerializer, Immutable, Alias("registry.RegisterResident")]
public sealed record RegisterResident(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] string FullName,
    [property: Id(2)] DateOnly BirthDate,
    [property: Id(3)] Sex Sex,
    [property: Id(4)] string BirthRegistrationProvince)
{
    /// <summary>Who registers the person; required.</summary>
    [Id(5)]
    public Actor? Actor { get; init; }

    /// <summary>Other names, each normalised like the full name.</summary>
    [Id(6)]
    public IReadOnlyList<string> OtherNames { get; init; } = [];

    /// <summary>Hometown (quê quán), optional.</summary>
    [Id(7)]
    public string? Hometown { get; init; }

    /// <summary>Ethnic group, optional.</summary>
    [Id(8)]
    public string? Ethnicity { get; init; }

    /// <summary>Religion, optional.</summary>
    [Id(9)]
    public string? Religion { get; init; }

    /// <summary>Nationality status; a person of undetermined nationality needs <see cref="IdentityCertificate"/>.</summary>
    [Id(10)]
    public NationalityStatus Nationality { get; init; } = NationalityStatus.Vietnamese;

    /// <summary>Required exactly when <see cref="Nationality"/> is undetermined.</summary>
    [Id(11)]
    public IdentityCertificate? IdentityCertificate { get; init; }

    /// <summary>Links to people already in the registry.</summary>
    [Id(12)]
    public FamilyLinks Family { get; init; } = FamilyLinks.None;

    /// <summary>Street address of the permanent residence, optional.</summary>
    [Id(13)]
    public string? PermanentAddress { get; init; }

    /// <summary>
    /// A number issued before this registry (a province loading its existing records): kept instead of allocating
    /// one, after checking that its province, sex/century and year digits agree with the declared details.
    /// </summary>
    [Id(14)]
    public PersonalIdNumber? IssuedNumber { get; init; }

    /// <summary>
    /// The caller has seen the duplicate candidates of an earlier attempt and confirms this is another person.
    /// An instruction, not part of the request: it does not take part in recognising a repeated request.
    /// </summary>
    [Id(15)]
    public bool ConfirmedNotDuplicate { get; init; }

    /// <summary>Whether <paramref name="other"/> asks for the same registration (everything but the confirmation).</summary>
    public bool Equals(RegisterResident? other) =>
        other is not null
        && IdempotencyKey == other.IdempotencyKey
        && FullName == other.FullName
        && BirthDate == other.BirthDate
        && Sex == other.Sex
        && BirthRegistrationProvince == other.BirthRegistrationProvince
        && Actor == other.Actor
        && OtherNames.SequenceEqual(other.OtherNames)
        && Hometown == other.Hometown
        && Ethnicity == other.Ethnicity
        && Religion == other.Religion
        && Nationality == other.Nationality
        && IdentityCertificate == other.IdentityCertificate
        && Family == other.Family
        && PermanentAddress == other.PermanentAddress
        && IssuedNumber == other.IssuedNumber;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IdempotencyKey, FullName, BirthDate, Sex, BirthRegistrationProvince);
}

/// <summary>What became of a <see cref="RegisterResident"/> command.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome")]
public abstract record RegistrationOutcome;

/// <summary>The person is registered. <paramref name="Replayed"/> is true when an earlier request with the same key did it.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.Registered")]
public sealed record Registered([property: Id(0)] ResidentRecord Resident, [property: Id(1)] bool Replayed) : RegistrationOutcome;

/// <summary>
/// The command was refused and nothing changed: invalid, the actor may not register this person, the key was used for
/// another request, or the issued number given already belongs to someone.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.Refused")]
public sealed record RegistrationRefused([property: Id(0)] Refusal Refusal) : RegistrationOutcome;

/// <summary>
/// People with the same folded name, birth date and birth registration province are already registered; nothing
/// changed. The caller checks them and, if this is someone else, repeats the command with the confirmation set.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.DuplicateCandidatesFound")]
public sealed record DuplicateCandidatesFound([property: Id(0)] DuplicateCandidate[] Candidates) : RegistrationOutcome;

/// <summary>A person already in the registry who may be the one being registered.</summary>
[GenerateSerializer, Immutable, Alias("registry.DuplicateCandidate")]
public sealed record DuplicateCandidate(
    [property: Id(0)] PersonalIdNumber PersonalIdNumber,
    [property: Id(1)] string FullName,
    [property: Id(2)] DateOnly BirthDate,
    [property: Id(3)] Sex Sex,
    [property: Id(4)] string BirthRegistrationProvince,
    [property: Id(5)] string PermanentResidenceProvince);

