using Registry.Contracts.Access;

namespace Registry.Contracts.Residents;

/// <summary>
/// Correct fields of a person's record. Every correction needs a reason and the supporting document, and is
/// kept in the person's history. Birth date and sex may only be corrected by a central administrator.
/// </summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the amendment with it has the effect of one.</param>
/// <param name="Actor">Who corrects.</param>
/// <param name="Reason">Why, in words; required.</param>
/// <param name="DocumentReference">Reference of the supporting document (decision, certificate, court ruling); required.</param>
/// <param name="Changes">The fields to set, at least one, each once.</param>
[GenerateSerializer, Immutable, Alias("registry.AmendResident")]
public sealed record AmendResident(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] string Reason,
    [property: Id(3)] string DocumentReference,
    [property: Id(4)] IReadOnlyList<FieldChange> Changes)
{
    /// <summary>
    /// The second official's approval of a correction of full name, birth date or sex (issue 11: four eyes): without it
    /// the citizen refuses such a correction. Set only by the proposal the correction was approved in.
    /// </summary>
    [Id(5)]
    public Approval? Approval { get; init; }

    /// <summary>Whether <paramref name="other"/> is the same amendment.</summary>
    public bool Equals(AmendResident? other) =>
        other is not null
        && IdempotencyKey == other.IdempotencyKey
        && Actor == other.Actor
        && Reason == other.Reason
        && DocumentReference == other.DocumentReference
        && Changes.SequenceEqual(other.Changes)
        && Approval == other.Approval;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IdempotencyKey, Reason, DocumentReference);
}

/// <summary>
/// A new value for one field, in the API's text form: names and text as written, dates yyyy-MM-dd, sex
/// "male"/"female", links as 12-digit numbers, other names separated by ";". Null clears an optional field.
/// </summary>
/// <param name="Field">The API's camelCase field name, e.g. "fullName", "birthDate", "spouse".</param>
/// <param name="Value">The new value, or null to clear.</param>
[GenerateSerializer, Immutable, Alias("registry.FieldChange")]
public sealed record FieldChange([property: Id(0)] string Field, [property: Id(1)] string? Value);

/// <summary>Record a person's death. The record is then closed for everything except corrections, and counts follow.</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the command with it has the effect of one.</param>
/// <param name="Actor">Who records it.</param>
/// <param name="Date">Date of death, not before birth nor after today.</param>
/// <param name="Place">Place of death.</param>
/// <param name="DocumentReference">Reference of the death certificate or court decision.</param>
[GenerateSerializer, Immutable, Alias("registry.RecordDeath")]
public sealed record RecordDeath(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] DateOnly Date,
    [property: Id(3)] string Place,
    [property: Id(4)] string DocumentReference)
{
    /// <summary>
    /// The second official's approval (issue 11: four eyes): without it the citizen refuses to record a death. Set only
    /// by the proposal the death was approved in.
    /// </summary>
    [Id(5)]
    public Approval? Approval { get; init; }
}

/// <summary>What became of an amendment or a death record.</summary>
[GenerateSerializer, Immutable, Alias("registry.ChangeOutcome")]
public abstract record ChangeOutcome;

/// <summary>The change is applied (or was, by an earlier request with the same id when <paramref name="Replayed"/>).</summary>
/// <param name="Resident">The record after the change. Its number differs from the one addressed when a correction required a new number.</param>
/// <param name="Replayed">True when an earlier request with the same id did it.</param>
[GenerateSerializer, Immutable, Alias("registry.ChangeOutcome.Changed")]
public sealed record Changed([property: Id(0)] ResidentRecord Resident, [property: Id(1)] bool Replayed) : ChangeOutcome
{
    /// <summary>The citizen's state version after the change; a later request may name it as its expected version.</summary>
    [Id(2)]
    public long Version { get; init; }
}

/// <summary>The change was refused and nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.ChangeOutcome.Refused")]
public sealed record ChangeRefused([property: Id(0)] Refusal Refusal) : ChangeOutcome;

/// <summary>One entry of a person's history: one field changed by one operation.</summary>
/// <param name="OperationId">What made the change: the idempotency key of the request, or the id of a sweep or reorganisation.</param>
/// <param name="Kind">What kind of operation.</param>
/// <param name="At">When the registry applied it.</param>
/// <param name="Actor">Who asked for it.</param>
/// <param name="Field">The API's field name.</param>
/// <param name="OldValue">The value before, in the API's text form; null when unset.</param>
/// <param name="NewValue">The value after; null when cleared.</param>
/// <param name="Reason">The stated reason, for amendments.</param>
/// <param name="DocumentReference">The supporting document.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidentChange")]
public sealed record ResidentChange(
    [property: Id(0)] string OperationId,
    [property: Id(1)] ResidentChangeKind Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Actor Actor,
    [property: Id(4)] string Field,
    [property: Id(5)] string? OldValue,
    [property: Id(6)] string? NewValue,
    [property: Id(7)] string? Reason,
    [property: Id(8)] string? DocumentReference)
{
    /// <summary>
    /// The second official who approved the change when it needed one (a death, a correction of full name, birth date or
    /// sex); <see cref="Actor"/> is then the official who proposed it. Null for every other change.
    /// </summary>
    [Id(9)]
    public Actor? ApprovedBy { get; init; }
}

/// <summary>Kinds of operations in a person's history.</summary>
[GenerateSerializer, Alias("registry.ResidentChangeKind")]
public enum ResidentChangeKind
{
    /// <summary>The person was registered.</summary>
    Registration = 0,

    /// <summary>A field was corrected.</summary>
    Amendment = 1,

    /// <summary>The death was recorded.</summary>
    Death = 2,

    /// <summary>A corrected birth date or sex required a new number; the old one resolves to it.</summary>
    NumberChange = 3,

    /// <summary>The permanent residence moved (Law on Residence 68/2020).</summary>
    Relocation = 4,

    /// <summary>A reorganisation absorbed the province of the permanent residence: the address moved to the surviving code.</summary>
    Reorganisation = 5,

    /// <summary>A temporary residence was registered or extended, or a temporary absence declared.</summary>
    TemporaryResidence = 6,

    /// <summary>The residence sweep flagged the permanent residence for deletion.</summary>
    ResidenceFlag = 7,

    /// <summary>
    /// A step of one of the person's identity cards: applied, produced, issued, reported lost, revoked (replaced, death).
    /// The field is <c>identityCard</c>, the new value the document number and the step.
    /// </summary>
    IdentityCard = 8,
}

/// <summary>The numbers of one person: the one asked about, the current one, and those it replaced.</summary>
/// <param name="Requested">The number asked about.</param>
/// <param name="Current">The number the person holds now.</param>
/// <param name="Previous">Numbers the person held before, oldest first.</param>
[GenerateSerializer, Immutable, Alias("registry.NumberLineage")]
public sealed record NumberLineage(
    [property: Id(0)] Identity.PersonalIdNumber Requested,
    [property: Id(1)] Identity.PersonalIdNumber Current,
    [property: Id(2)] Identity.PersonalIdNumber[] Previous);
