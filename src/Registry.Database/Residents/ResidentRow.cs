using Registry.Domain.Residents;


namespace Registry.Database.Residents;

/// <summary>A snapshot as the columns of <c>registry.resident</c>, checked against the table's constraints.</summary>
internal sealed record ResidentRow(
    string PersonalId,
    long Version,
    string FullName,
    string NameKey,
    DateOnly BirthDate,
    short Sex,
    string BirthRegistrationProvince,
    string PermanentResidenceProvince,
    short Nationality,
    bool Alive,
    DateOnly? DeathDate,
    string? SupersededBy,
    DateTimeOffset ChangedAt,
    string? PermanentResidenceCommune,
    DateOnly? AwayRegisteredUntil,
    DateOnly? ResidenceDeletionFlaggedOn,
    string? TemporaryResidenceProvince,
    DateOnly? TemporaryResidenceUntil)
{
    /// <summary>
    /// The row of <paramref name="snapshot"/>. Everything the table would refuse is refused here, before the
    /// snapshot joins a batch: one malformed snapshot must fail its own caller, not everyone sharing its transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot breaks a constraint of the table.</exception>
    public static ResidentRow From(ResidentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var resident = snapshot.Resident ?? throw new ArgumentException("The snapshot has no resident.", nameof(snapshot));
        ArgumentOutOfRangeException.ThrowIfNegative(snapshot.Version);
        var number = resident.PersonalIdNumber.Value;
        var superseded = snapshot.SupersededBy?.Value;
        Require(superseded != number, "A number cannot be superseded by itself.");
        var name = resident.FullName;
        Require(name is { Length: > 0 and <= RegistrationRules.MaxNameLength },
            $"The full name must have 1 to {RegistrationRules.MaxNameLength} characters.");
        // PostgreSQL text cannot hold U+0000.
        Require(!name.Contains('\0', StringComparison.Ordinal), "The full name contains U+0000.");
        Require(Enum.IsDefined(resident.Sex), $"Unknown sex {resident.Sex}.");
        Require(IsProvinceCode(resident.BirthRegistrationProvince), $"'{resident.BirthRegistrationProvince}' is not a 3-digit province code.");
        Require(IsProvinceCode(resident.PermanentResidenceProvince), $"'{resident.PermanentResidenceProvince}' is not a 3-digit province code.");
        Require(resident.PermanentResidenceCommune is null || Contracts.Provinces.Commune.CheckCode(resident.PermanentResidenceCommune) is null,
            $"'{resident.PermanentResidenceCommune}' is not a 5-digit commune code.");
        Require(resident.Nationality >= 0, $"Unknown nationality status {resident.Nationality}.");
        Require(resident.TemporaryResidence is null || IsProvinceCode(resident.TemporaryResidence.Address.ProvinceCode),
            $"'{resident.TemporaryResidence?.Address.ProvinceCode}' is not a 3-digit province code.");

        string key;
        try
        {
            key = NameFolding.Fold(name);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"The full name of {number} cannot be folded: {exception.Message}", nameof(snapshot), exception);
        }

        return new ResidentRow(
            number,
            snapshot.Version,
            name,
            key,
            resident.BirthDate,
            (short)resident.Sex,
            resident.BirthRegistrationProvince,
            resident.PermanentResidenceProvince,
            (short)resident.Nationality,
            resident.Death is null,
            resident.Death?.Date,
            superseded,
            // Npgsql writes timestamptz from UTC values only; the instant is what counts.
            snapshot.ChangedAt.ToUniversalTime(),
            resident.PermanentResidenceCommune,
            resident.AwayRegisteredUntil == DateOnly.MaxValue ? null : resident.AwayRegisteredUntil,
            resident.PermanentResidenceDeletionFlaggedOn,
            // The current or last one; whether it is still in force on a day is the search's comparison.
            resident.TemporaryResidence?.Address.ProvinceCode,
            resident.TemporaryResidence?.Until);

        void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ArgumentException($"Snapshot {number} v{snapshot.Version}: {message}", nameof(snapshot));
            }
        }
    }

    /// <summary>Three ASCII digits, as the table's CHECK wants; whether the code is in use is the grain's concern.</summary>
    public static bool IsProvinceCode(string? code) => code is { Length: 3 } && code.All(char.IsAsciiDigit);
}
