using Orleans.Concurrency;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Residents;

/// <summary>
/// A household's move in one request, keyed by its idempotency key: every member moves to the same destination, or
/// none does. The members are checked first (nothing is stored if any of them cannot move); then each is moved; if
/// one is refused after all (they died or moved meanwhile), the members already moved are moved back.
/// </summary>
public interface IHouseholdRelocationGrain : IGrainWithStringKey
{
    /// <summary>Moves the household, or says why not; the same request again answers as the first time.</summary>
    Task<HouseholdOutcome> RelocateAsync(RelocateHousehold command);

    /// <summary>The outcome of the request, or null when none was made under this key (or it is still running).</summary>
    [ReadOnly]
    Task<HouseholdOutcome?> GetOutcomeAsync();
}

/// <summary>Move a household's members to one destination, all or none.</summary>
/// <param name="IdempotencyKey">Chosen by the caller: repeating the request with it has the effect of one.</param>
/// <param name="Actor">Who registers the move.</param>
/// <param name="Members">The members' numbers, 1 to <see cref="MaxMembers"/>, each once.</param>
/// <param name="Destination">The new permanent residence of all of them.</param>
/// <param name="MovedOn">Date of the registration.</param>
[GenerateSerializer, Immutable, Alias("registry.RelocateHousehold")]
public sealed record RelocateHousehold(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] PersonalIdNumber[] Members,
    [property: Id(3)] ResidenceAddress Destination,
    [property: Id(4)] DateOnly MovedOn)
{
    /// <summary>Most members in one request.</summary>
    public const int MaxMembers = 30;

    /// <inheritdoc />
    public bool Equals(RelocateHousehold? other) =>
        other is not null && IdempotencyKey == other.IdempotencyKey && Actor == other.Actor
        && Members.SequenceEqual(other.Members) && Destination == other.Destination && MovedOn == other.MovedOn;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IdempotencyKey, Members.Length, Destination, MovedOn);
}

/// <summary>What became of a household's move.</summary>
[GenerateSerializer, Immutable, Alias("registry.HouseholdOutcome")]
public abstract record HouseholdOutcome;

/// <summary>Every member moved.</summary>
/// <param name="Members">Each member's record after the move, with its version, in the request's order.</param>
/// <param name="Replayed">True when an earlier request with the same key did it.</param>
[GenerateSerializer, Immutable, Alias("registry.HouseholdOutcome.Moved")]
public sealed record HouseholdMoved([property: Id(0)] ResidentView[] Members, [property: Id(1)] bool Replayed) : HouseholdOutcome;

/// <summary>
/// Nobody moved (or those who had were moved back), or the request itself is malformed or its key was used for another
/// request; nothing was changed.
/// </summary>
/// <param name="Refusal">Why: for members who could not move, each refused member's reasons under <c>members</c>.</param>
/// <param name="Members">Each member's result, in the request's order; empty when the request itself was refused.</param>
[GenerateSerializer, Immutable, Alias("registry.HouseholdOutcome.Refused")]
public sealed record HouseholdRefused([property: Id(0)] Refusal Refusal, [property: Id(1)] HouseholdMemberResult[] Members) : HouseholdOutcome;

/// <summary>One member's part of a refused household move.</summary>
/// <param name="PersonalIdNumber">The member.</param>
/// <param name="Refusal">Why this member could not move; null when they could have (others could not).</param>
/// <param name="MovedBack">True when the member had moved and was moved back.</param>
[GenerateSerializer, Immutable, Alias("registry.HouseholdMemberResult")]
public sealed record HouseholdMemberResult(
    [property: Id(0)] PersonalIdNumber PersonalIdNumber,
    [property: Id(1)] Refusal? Refusal,
    [property: Id(2)] bool MovedBack);
