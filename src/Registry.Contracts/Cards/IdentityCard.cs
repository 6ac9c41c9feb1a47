using Registry.Contracts.Access;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Cards;

/// <summary>
/// One identity card (Law on Identification 26/2023) as its grain holds it, from the application to its end. Stored as
/// JSON by property name; members are only ever added.
/// </summary>
/// <param name="DocumentNumber">The card's own number, its grain's key.</param>
/// <param name="Holder">The personal ID number of the person it was applied for.</param>
/// <param name="ProvinceCode">The province whose office took the application (and whose officers act on the card).</param>
/// <param name="Reason">Why it was applied for.</param>
/// <param name="State">Where it is in its lifecycle, as stored: an issued card past its expiry reads as expired (<c>CardLifecycle.StateOn</c>).</param>
/// <param name="AppliedOn">The day of the application, in Vietnam.</param>
[GenerateSerializer, Immutable, Alias("registry.IdentityCard")]
public sealed record IdentityCard(
    [property: Id(0)] DocumentNumber DocumentNumber,
    [property: Id(1)] PersonalIdNumber Holder,
    [property: Id(2)] string ProvinceCode,
    [property: Id(3)] CardReason Reason,
    [property: Id(4)] CardState State,
    [property: Id(5)] DateOnly AppliedOn)
{
    /// <summary>The day it was handed to the holder; null until issued.</summary>
    [Id(6)]
    public DateOnly? IssuedOn { get; init; }

    /// <summary>The last day it is valid (Law 26/2023 Art. 21); null while not issued, and for a card that does not expire.</summary>
    [Id(7)]
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>Why it was revoked (death, replacement, fraud, …); null unless revoked.</summary>
    [Id(8)]
    public string? RevocationReason { get; init; }

    /// <summary>Every step, oldest first; a step's operation id makes a repeated request a replay.</summary>
    [Id(9)]
    public IReadOnlyList<CardStep> Steps { get; init; } = [];

    /// <summary>
    /// What the card prints of its holder, taken from the record when it was produced (or imported): a card keeps the
    /// data of its day when the record changes later, since a change of data is a new card (Law 26/2023 Art. 24). Its
    /// machine-readable zone and QR code are composed from it. Null before production.
    /// </summary>
    [Id(10)]
    public PrintedHolder? Printed { get; init; }

    /// <inheritdoc />
    public bool Equals(IdentityCard? other) =>
        other is not null && DocumentNumber == other.DocumentNumber && Holder == other.Holder && ProvinceCode == other.ProvinceCode
        && Reason == other.Reason && State == other.State && AppliedOn == other.AppliedOn && IssuedOn == other.IssuedOn
        && ExpiresOn == other.ExpiresOn && RevocationReason == other.RevocationReason && Steps.SequenceEqual(other.Steps) && Printed == other.Printed;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DocumentNumber, State, Steps.Count);
}

/// <summary>The holder's data printed on a card and written to its chip (Law 26/2023 Art. 18(2)), as the record held it then.</summary>
/// <param name="FullName">The full name, family name first.</param>
/// <param name="BirthDate">The birth date.</param>
/// <param name="Sex">The sex.</param>
/// <param name="PermanentAddress">The permanent address as printed.</param>
/// <param name="PlaceOfOrigin">The place of origin (quê quán); null when the record has none.</param>
[GenerateSerializer, Immutable, Alias("registry.PrintedHolder")]
public sealed record PrintedHolder(
    [property: Id(0)] string FullName,
    [property: Id(1)] DateOnly BirthDate,
    [property: Id(2)] Residents.Sex Sex,
    [property: Id(3)] string PermanentAddress,
    [property: Id(4)] string? PlaceOfOrigin);

/// <summary>One step of a card's life.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="OperationId">The idempotency key of the request that made it.</param>
/// <param name="At">When the registry recorded it.</param>
/// <param name="Actor">Who asked for it.</param>
[GenerateSerializer, Immutable, Alias("registry.CardStep")]
public sealed record CardStep(
    [property: Id(0)] CardStepKind Kind,
    [property: Id(1)] string OperationId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Actor Actor);

/// <summary>
/// A card's states (Law 26/2023; design, ID card): applied → produced → issued → expired | reported lost | revoked.
/// Revoked ends a card that was lost and replaced, a dead holder's card, and an application closed before issue.
/// </summary>
[GenerateSerializer, Alias("registry.CardState")]
public enum CardState
{
    /// <summary>Applied for; not yet made.</summary>
    Applied = 0,

    /// <summary>Made and waiting to be handed over.</summary>
    Produced = 1,

    /// <summary>Handed to the holder and valid until its expiry.</summary>
    Issued = 2,

    /// <summary>Past its expiry date: judged on Vietnam's calendar on every read, and stored once the daily sweep records it.</summary>
    Expired = 3,

    /// <summary>Its holder reported it lost; its replacement revokes it.</summary>
    ReportedLost = 4,

    /// <summary>No longer valid: replaced, its holder died, or withdrawn (fraud, an application closed).</summary>
    Revoked = 5,
}

/// <summary>The steps recorded in a card's life and in its holder's history.</summary>
[GenerateSerializer, Alias("registry.CardStepKind")]
public enum CardStepKind
{
    /// <summary>The application was taken.</summary>
    Application = 0,

    /// <summary>The card was made.</summary>
    Production = 1,

    /// <summary>The card was handed to the holder.</summary>
    Issue = 2,

    /// <summary>The holder reported it lost.</summary>
    LossReport = 3,

    /// <summary>It was revoked.</summary>
    Revocation = 4,

    /// <summary>
    /// Its expiry was recorded by the daily sweep (issue 12, part 6): the card had read as expired since the day after its
    /// last valid day; from this step on it is stored as expired too, and the event <c>cardExpired</c> is published.
    /// </summary>
    Expiry = 5,
}

/// <summary>Why a card is applied for (Law 26/2023 Art. 18–24).</summary>
[GenerateSerializer, Alias("registry.CardReason")]
public enum CardReason
{
    /// <summary>The person's first card: compulsory from 14, below 14 on request through a parent or guardian (Art. 19).</summary>
    FirstCard = 0,

    /// <summary>Renewal when the holder reaches 14, 25, 40 or 60 (Art. 21(1)).</summary>
    AgeMilestone = 1,

    /// <summary>The card was lost (Art. 24(1)).</summary>
    Lost = 2,

    /// <summary>The card is damaged and can no longer be used (Art. 24(1)).</summary>
    Damaged = 3,

    /// <summary>The holder's data on the card changed: name, birth date, sex (Art. 24(1)).</summary>
    ChangeOfData = 4,

    /// <summary>An administrative reorganisation changed data printed on the card (Art. 24(1)).</summary>
    AdministrativeReorganisation = 5,

    /// <summary>
    /// Not a reason anyone applies with: a chip card issued before 1 July 2024, recorded by an administrator with its
    /// printed expiry, which it keeps (Art. 46(1)).
    /// </summary>
    Imported = 6,
}
