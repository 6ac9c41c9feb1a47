using Registry.Contracts.Access;

namespace Registry.Contracts.Residents;

/// <summary>
/// Move a person's permanent residence (Law on Residence 68/2020: one permanent residence at a time). Registered by the
/// destination's residence authority, so a provincial officer relocates people into their own province only.
/// </summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating it has the effect of one; reusing it for another move is refused.</param>
/// <param name="Actor">Who registers the move.</param>
/// <param name="Destination">The new permanent residence.</param>
/// <param name="MovedOn">Date of the registration, not in the future and not before birth.</param>
/// <param name="ExpectedVersion">
/// The citizen's state version the caller saw; when given and the record changed since, the move is refused (409), so of
/// two concurrent moves based on the same reading one wins and the other is told.
/// </param>
[GenerateSerializer, Immutable, Alias("registry.Relocate")]
public sealed record Relocate(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] ResidenceAddress Destination,
    [property: Id(3)] DateOnly MovedOn,
    [property: Id(4)] long? ExpectedVersion);

/// <summary>A permanent residence: province (current code), commune or ward, and the address within it.</summary>
/// <param name="ProvinceCode">Three-digit code of a current province.</param>
/// <param name="CommuneCode">Five-digit code of a commune or ward of that province.</param>
/// <param name="Address">House number, street, hamlet: the address within the commune.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidenceAddress")]
public sealed record ResidenceAddress(
    [property: Id(0)] string ProvinceCode,
    [property: Id(1)] string CommuneCode,
    [property: Id(2)] string Address)
{
    /// <summary>The text form kept in history: <c>province/commune/address</c>.</summary>
    public override string ToString() => $"{ProvinceCode}/{CommuneCode}/{Address}";

    /// <summary>The permanent residence of <paramref name="resident"/> in the same form; the commune may be unknown.</summary>
    public static string TextOf(ResidentRecord resident)
    {
        ArgumentNullException.ThrowIfNull(resident);
        return $"{resident.PermanentResidenceProvince}/{resident.PermanentResidenceCommune}/{resident.PermanentAddress}";
    }
}
