using Registry.Contracts.Access;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Cards;

/// <summary>Apply for a person's identity card; sent to the person's citizen grain, which holds the open application.</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the application with it has the effect of one.</param>
/// <param name="Actor">The official taking the application.</param>
/// <param name="Reason">Why.</param>
/// <param name="ParentOrGuardian">
/// For a person below 14, the parent or guardian applying for them (Law 26/2023 Art. 19(2)), who must be their mother,
/// father or guardian in the record; null otherwise.
/// </param>
[GenerateSerializer, Immutable, Alias("registry.ApplyForCard")]
public sealed record ApplyForCard(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] CardReason Reason,
    [property: Id(3)] PersonalIdNumber? ParentOrGuardian);

/// <summary>A step of a card applied for: produce it, issue it, report it lost or revoke it; sent to its holder's citizen grain.</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the step with it has the effect of one.</param>
/// <param name="Actor">Who asks.</param>
/// <param name="DocumentNumber">The card.</param>
/// <param name="Step">Production, issue, loss report or revocation.</param>
[GenerateSerializer, Immutable, Alias("registry.ChangeCard")]
public sealed record ChangeCard(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] DocumentNumber DocumentNumber,
    [property: Id(3)] CardStepKind Step)
{
    /// <summary>For an issue, the day the card is handed over: not before the birth, not in the future; today when null.</summary>
    [Id(4)]
    public DateOnly? IssuedOn { get; init; }

    /// <summary>For a revocation, why (fraud, a court decision, …); required then.</summary>
    [Id(5)]
    public string? Reason { get; init; }
}

/// <summary>
/// A step as its card grain applies it; the citizen decided it may happen and computed what it needs (the expiry).
/// </summary>
/// <param name="Step">The step.</param>
/// <param name="OperationId">The step's idempotency key.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
[GenerateSerializer, Immutable, Alias("registry.CardTransition")]
public sealed record CardTransition(
    [property: Id(0)] CardStepKind Step,
    [property: Id(1)] string OperationId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] Actor Actor)
{
    /// <summary>For an issue: the day of issue.</summary>
    [Id(4)]
    public DateOnly? IssuedOn { get; init; }

    /// <summary>For an issue: the last valid day; null when the card does not expire.</summary>
    [Id(5)]
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>For a revocation: why.</summary>
    [Id(6)]
    public string? Reason { get; init; }

    /// <summary>For a production: the holder's data the card prints, from the record as it is that day.</summary>
    [Id(7)]
    public PrintedHolder? Printed { get; init; }
}

/// <summary>
/// Record a chip card issued before 1 July 2024 (Law 26/2023 Art. 46(1): it stays valid until its printed expiry) as the
/// person's current card; sent to the holder's citizen grain. Central administrators only.
/// </summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the import with it has the effect of one.</param>
/// <param name="Actor">The administrator.</param>
/// <param name="DocumentNumber">The number the card carries in its machine-readable zone: nine digits.</param>
/// <param name="IssuedOn">The issue date printed on the card, before 1 July 2024.</param>
/// <param name="ExpiresOn">The expiry printed on the card; null for a card printed without one ("không thời hạn").</param>
[GenerateSerializer, Immutable, Alias("registry.ImportCard")]
public sealed record ImportCard(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] DocumentNumber DocumentNumber,
    [property: Id(3)] DateOnly IssuedOn,
    [property: Id(4)] DateOnly? ExpiresOn);

/// <summary>What became of a card command.</summary>
[GenerateSerializer, Immutable, Alias("registry.CardOutcome")]
public abstract record CardOutcome;

/// <summary>The card as it is after the command (or after the earlier request with the same key, when <paramref name="Replayed"/>).</summary>
[GenerateSerializer, Immutable, Alias("registry.CardOutcome.Changed")]
public sealed record CardChanged([property: Id(0)] IdentityCard Card, [property: Id(1)] bool Replayed) : CardOutcome;

/// <summary>The command was refused and nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.CardOutcome.Refused")]
public sealed record CardRefused([property: Id(0)] Refusal Refusal) : CardOutcome;

/// <summary>
/// A person's cards as their citizen grain holds them: the one open application and the current card. The citizen is
/// the serialisation point of every card step of the person, so at most one card is valid at a time.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.PersonCards")]
public sealed record PersonCards
{
    /// <summary>Nothing applied for, nothing held.</summary>
    public static PersonCards None { get; } = new();

    /// <summary>The card applied for and not yet issued (or closed); at most one.</summary>
    [Id(0)]
    public IdentityCard? OpenApplication { get; init; }

    /// <summary>The last card issued to the person, in whatever state it now is; null when never issued.</summary>
    [Id(1)]
    public IdentityCard? Current { get; init; }
}
