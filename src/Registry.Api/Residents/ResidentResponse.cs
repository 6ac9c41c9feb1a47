using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Api.Residents;

/// <summary>A person as the API returns them.</summary>
public sealed record ResidentResponse(
    string PersonalIdNumber,
    string FullName,
    DateOnly BirthDate,
    string Sex,
    string BirthRegistrationProvince,
    string PermanentResidenceProvince,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<string> OtherNames,
    string? Hometown,
    string? Ethnicity,
    string? Religion,
    string Nationality,
    IdentityCertificate? IdentityCertificate,
    string? Mother,
    string? Father,
    string? Spouse,
    string? Guardian,
    string? PermanentAddress,
    bool Alive,
    DeathResponse? Death,
    IReadOnlyList<string> PreviousNumbers,
    string? PermanentResidenceCommune,
    long Version,
    TemporaryResidence? TemporaryResidence,
    TemporaryAbsence? TemporaryAbsence,
    DateOnly? PermanentResidenceDeletionFlaggedOn)
{
    /// <summary>The response for <paramref name="resident"/> at <paramref name="version"/>.</summary>
    /// <remarks>The version is what a relocation names as its expectedVersion to be refused if the record changed since.</remarks>
    public static ResidentResponse From(ResidentRecord resident, long version)
    {
        ArgumentNullException.ThrowIfNull(resident);
        return new(
            resident.PersonalIdNumber.Value,
            resident.FullName,
            resident.BirthDate,
            ResidentFields.Text(resident.Sex),
            resident.BirthRegistrationProvince,
            resident.PermanentResidenceProvince,
            resident.RegisteredAt,
            resident.OtherNames,
            resident.Hometown,
            resident.Ethnicity,
            resident.Religion,
            ResidentFields.Text(resident.Nationality),
            resident.IdentityCertificate,
            resident.Family.Mother?.Value,
            resident.Family.Father?.Value,
            resident.Family.Spouse?.Value,
            resident.Family.Guardian?.Value,
            resident.PermanentAddress,
            resident.IsAlive,
            resident.Death is { } death ? new DeathResponse(death.Date, death.Place, death.DocumentReference) : null,
            [.. resident.PreviousNumbers.Select(number => number.Value)],
            resident.PermanentResidenceCommune,
            version,
            resident.TemporaryResidence,
            resident.TemporaryAbsence,
            resident.PermanentResidenceDeletionFlaggedOn);
    }
}

/// <summary>A recorded death.</summary>
public sealed record DeathResponse(DateOnly Date, string Place, string DocumentReference);

/// <summary>One entry of a person's history.</summary>
public sealed record ResidentChangeResponse(
    string OperationId,
    string Kind,
    DateTimeOffset At,
    string ActorId,
    string ActorRole,
    string Field,
    string? OldValue,
    string? NewValue,
    string? Reason,
    string? DocumentReference,
    string? ApprovedById,
    string? ApprovedByRole)
{
    /// <summary>The response for <paramref name="change"/>.</summary>
    public static ResidentChangeResponse From(ResidentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.OperationId, JsonName(change.Kind.ToString()), change.At, change.Actor.Id, JsonName(change.Actor.Role.ToString()),
            change.Field, change.OldValue, change.NewValue, change.Reason, change.DocumentReference,
            change.ApprovedBy?.Id, change.ApprovedBy is { } approver ? JsonName(approver.Role.ToString()) : null);
    }

    private static string JsonName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}

/// <summary>A person's numbers: the one asked about, the current one, and the earlier ones.</summary>
public sealed record NumberLineageResponse(string Requested, string Current, IReadOnlyList<string> Previous);

/// <summary>A person already registered who may be the one being registered.</summary>
public sealed record DuplicateCandidateResponse(
    string PersonalIdNumber, string FullName, DateOnly BirthDate, string Sex, string BirthRegistrationProvince, string PermanentResidenceProvince);
