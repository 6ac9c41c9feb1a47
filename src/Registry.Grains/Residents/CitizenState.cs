using System.Text.Json.Serialization;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// Stored state of a person. Every change is stored first, with the effects it owes to others marked pending
/// (province counts, the read model); the effects are idempotent and run next, and a crash in between is
/// finished on the next activation, so nothing is lost or counted twice (invariants 1, 2 and 4).
/// </summary>
public sealed record CitizenState
{
    /// <summary>The record; null while nobody holds the number.</summary>
    public ResidentRecord? Resident { get; init; }

    /// <summary>Incremented by every stored change: with the number, the id of the change's read-model event.</summary>
    public long Version { get; init; }

    /// <summary>When the current version was stored; the read model measures its lag from it.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>Every change to the record, oldest first: who, when, which field, old and new value, why.</summary>
    public IReadOnlyList<ResidentChange> History { get; init; } = [];

    /// <summary>Province count changes stored but not yet acknowledged by the province.</summary>
    public IReadOnlyList<OwedCount> PendingCounts { get; init; } = [];

    /// <summary>True while the stored version is not yet known to be in the read model.</summary>
    public bool ProjectionPending { get; init; }

    /// <summary>A new number allocated for this person and not yet handed over to; set only during renumbering.</summary>
    public PersonalIdNumber? RenumberingTo { get; init; }

    /// <summary>The number that replaced this one; every call is passed on to it.</summary>
    public PersonalIdNumber? SupersededBy { get; init; }

    /// <summary>The person's lock against partners (<c>CitizenGrain.Lock.cs</c>); never set for most people.</summary>
    public RecordLock Lock { get; init; } = RecordLock.Never;

    /// <summary>The person's open card application and current card (<c>CitizenGrain.Cards.cs</c>).</summary>
    public PersonCards Cards { get; init; } = PersonCards.None;

    /// <summary>
    /// A person just registered: version 1, the registration as their first history entry, and what it owes (their
    /// province's count, the read model) pending. The national bulk load stores the same state with the effects done,
    /// since it writes them in the same transaction.
    /// </summary>
    public static CitizenState Registered(ResidentRecord record, ResidentChange registration) => new()
    {
        Resident = record, Version = 1, History = [registration], PendingCounts = [RegistrationRules.CountOwed(record)], ProjectionPending = true,
    };

    /// <summary>Whether effects are owed to others.</summary>
    [JsonIgnore]
    public bool HasPendingEffects => PendingCounts.Count > 0 || ProjectionPending;

    /// <summary>Whether work is unfinished: effects owed, or a new number not yet handed over to.</summary>
    [JsonIgnore]
    public bool HasUnfinishedWork => HasPendingEffects || RenumberingTo is not null;
}
