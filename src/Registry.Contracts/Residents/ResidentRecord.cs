using System.Text.Json.Serialization;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Residents;

/// <summary>
/// A person as the registry holds them; the citizen grain under <see cref="PersonalIdNumber"/> owns it.
/// Serialised with Orleans ids and stored as JSON by property name: members are only ever added, with new ids,
/// so a record stored by an earlier version reads with the new members at their defaults.
/// </summary>
/// <param name="PersonalIdNumber">The number for life (a new one only when a corrected birth date or sex contradicts it).</param>
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
    [property: Id(6)] DateTimeOffset RegisteredAt)
{
    /// <summary>Other names the person is known by (alias, religious name), each NFC; empty when none.</summary>
    [Id(7)]
    public IReadOnlyList<string> OtherNames { get; init; } = [];

    /// <summary>Hometown (quê quán) as written on documents; null when not declared.</summary>
    [Id(8)]
    public string? Hometown { get; init; }

    /// <summary>Ethnic group, e.g. "Kinh"; null when not declared.</summary>
    [Id(9)]
    public string? Ethnicity { get; init; }

    /// <summary>Religion, e.g. "Không" (none) or "Phật giáo"; null when not declared.</summary>
    [Id(10)]
    public string? Religion { get; init; }

    /// <summary>Nationality status; records stored before it existed are Vietnamese.</summary>
    [Id(11)]
    public NationalityStatus Nationality { get; init; } = NationalityStatus.Vietnamese;

    /// <summary>The identity certificate of a person of undetermined nationality (Law 26/2023 Art. 30); kept after confirmation.</summary>
    [Id(12)]
    public IdentityCertificate? IdentityCertificate { get; init; }

    /// <summary>Mother, father, spouse and guardian, by personal ID number.</summary>
    [Id(13)]
    public FamilyLinks Family { get; init; } = FamilyLinks.None;

    /// <summary>The death, once recorded; from then on the record is closed for everything except corrections.</summary>
    [Id(14)]
    public DeathRecord? Death { get; init; }

    /// <summary>Street address of the permanent residence within <see cref="PermanentResidenceProvince"/>; null when not declared.</summary>
    [Id(15)]
    public string? PermanentAddress { get; init; }

    /// <summary>Numbers this person held before corrected birth dates or sexes required new ones, oldest first.</summary>
    [Id(16)]
    public IReadOnlyList<PersonalIdNumber> PreviousNumbers { get; init; } = [];

    /// <summary>
    /// Five-digit code of the commune or ward of the permanent residence within <see cref="PermanentResidenceProvince"/>;
    /// null until a relocation declares it (registrations name the province only).
    /// </summary>
    [Id(17)]
    public string? PermanentResidenceCommune { get; init; }

    /// <summary>The current or last temporary residence; null when none was registered.</summary>
    [Id(18)]
    public TemporaryResidence? TemporaryResidence { get; init; }

    /// <summary>The last declared temporary absence; null when none was declared.</summary>
    [Id(19)]
    public TemporaryAbsence? TemporaryAbsence { get; init; }

    /// <summary>
    /// The day the residence sweep flagged the permanent residence for deletion: away for 12 consecutive months after the
    /// last registration elsewhere ended (Law on Residence 68/2020 Art. 24); null while not flagged. A relocation, a new
    /// temporary residence or a declared absence clears it.
    /// </summary>
    [Id(20)]
    public DateOnly? PermanentResidenceDeletionFlaggedOn { get; init; }

    /// <summary>The last day the person was registered as away (temporary residence elsewhere or declared absence); null when never.</summary>
    public DateOnly? AwayRegisteredUntil =>
        (TemporaryResidence?.Until, TemporaryAbsence is { } absence ? absence.Until ?? DateOnly.MaxValue : (DateOnly?)null) switch
        {
            (null, var absent) => absent,
            (var temporary, null) => temporary,
            (var temporary, var absent) => temporary > absent ? temporary : absent,
        };

    /// <summary>Whether the person is alive (no death recorded).</summary>
    [JsonIgnore]
    public bool IsAlive => Death is null;

    /// <inheritdoc />
    public bool Equals(ResidentRecord? other) =>
        other is not null
        && PersonalIdNumber == other.PersonalIdNumber
        && FullName == other.FullName
        && BirthDate == other.BirthDate
        && Sex == other.Sex
        && BirthRegistrationProvince == other.BirthRegistrationProvince
        && PermanentResidenceProvince == other.PermanentResidenceProvince
        && RegisteredAt == other.RegisteredAt
        && OtherNames.SequenceEqual(other.OtherNames)
        && Hometown == other.Hometown
        && Ethnicity == other.Ethnicity
        && Religion == other.Religion
        && Nationality == other.Nationality
        && IdentityCertificate == other.IdentityCertificate
        && Family == other.Family
        && Death == other.Death
        && PermanentAddress == other.PermanentAddress
        && PreviousNumbers.SequenceEqual(other.PreviousNumbers)
        && PermanentResidenceCommune == other.PermanentResidenceCommune
        && TemporaryResidence == other.TemporaryResidence
        && TemporaryAbsence == other.TemporaryAbsence
        && PermanentResidenceDeletionFlaggedOn == other.PermanentResidenceDeletionFlaggedOn;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PersonalIdNumber, FullName, BirthDate, Sex, Death);
}

/// <summary>Nationality status of a person in the registry.</summary>
[GenerateSerializer, Alias("registry.NationalityStatus")]
public enum NationalityStatus
{
    /// <summary>A Vietnamese citizen.</summary>
    Vietnamese = 0,

    /// <summary>Of Vietnamese origin, nationality undetermined (Law 26/2023 Art. 30): holds an identity certificate and a number.</summary>
    UndeterminedVietnameseOrigin = 1,

    /// <summary>A foreign national residing long-term.</summary>
    ForeignLongTermResident = 2,
}

/// <summary>
/// The identity certificate (giấy chứng nhận căn cước) of a person of Vietnamese origin whose nationality is
/// undetermined, issued after six consecutive months living in one commune (Law on Identification 26/2023 Art. 30).
/// </summary>
/// <param name="IssuedOn">Date of issue.</param>
/// <param name="Commune">The commune or ward where the person has lived, as named by the issuing office.</param>
/// <param name="LivingInCommuneSince">Since when the person has lived there without interruption.</param>
[GenerateSerializer, Immutable, Alias("registry.IdentityCertificate")]
public sealed record IdentityCertificate(
    [property: Id(0)] DateOnly IssuedOn,
    [property: Id(1)] string Commune,
    [property: Id(2)] DateOnly LivingInCommuneSince);

/// <summary>Links to family members and a guardian, each the personal ID number of a person in the registry.</summary>
[GenerateSerializer, Immutable, Alias("registry.FamilyLinks")]
public sealed record FamilyLinks(
    [property: Id(0)] PersonalIdNumber? Mother,
    [property: Id(1)] PersonalIdNumber? Father,
    [property: Id(2)] PersonalIdNumber? Spouse,
    [property: Id(3)] PersonalIdNumber? Guardian)
{
    /// <summary>No links.</summary>
    public static FamilyLinks None { get; } = new(null, null, null, null);

    /// <summary>The links that are set, with the API's field name of each.</summary>
    public IEnumerable<(string Field, PersonalIdNumber Number)> Declared()
    {
        if (Mother is { } mother)
        {
            yield return ("mother", mother);
        }

        if (Father is { } father)
        {
            yield return ("father", father);
        }

        if (Spouse is { } spouse)
        {
            yield return ("spouse", spouse);
        }

        if (Guardian is { } guardian)
        {
            yield return ("guardian", guardian);
        }
    }
}

/// <summary>A recorded death.</summary>
/// <param name="Date">Date of death.</param>
/// <param name="Place">Place of death as written on the death certificate.</param>
/// <param name="DocumentReference">Reference of the death certificate or court decision.</param>
[GenerateSerializer, Immutable, Alias("registry.DeathRecord")]
public sealed record DeathRecord(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] string Place,
    [property: Id(2)] string DocumentReference);
