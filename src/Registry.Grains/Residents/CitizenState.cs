using System.Text.Json.Serialization;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// Stored state of a person. Every change is stored first, with the effects it owes to others marked pending
/// (province counts, the read model, steps of the person's cards); the effects are idempotent and run next, and a crash in between is
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

    /// <summary>
    /// The person's recent history entries, oldest first, from place <see cref="HistoryStart"/> on: who, when, which field,
    /// old and new value, why. Every entry not yet in the history table is here, and the last <see cref="HistoryTail"/>
    /// that are; the older ones are only in the table (<c>registry.resident_history</c>), so a change rewrites the tail, not
    /// the person's whole past. A state stored before the table holds the whole history here, from place 0, none written.
    /// </summary>
    public IReadOnlyList<ResidentChange> History { get; init; } = [];

    /// <summary>The place of the first entry of <see cref="History"/> in the person's whole history; the entries before it are in the table.</summary>
    public int HistoryStart { get; init; }

    /// <summary>The entries before this place are in the history table; the entries of <see cref="History"/> from it on are owed to it.</summary>
    public int HistoryWritten { get; init; }

    /// <summary>The operation ids of the entries before <see cref="HistoryStart"/>: a key it may hold is looked up in the table.</summary>
    public EarlierOperations EarlierOperations { get; init; } = EarlierOperations.None;

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

    /// <summary>Card steps stored but not yet taken by their card grains, oldest first (<c>CitizenGrain.Cards.cs</c>).</summary>
    public IReadOnlyList<OwedCardStep> OwedCardSteps { get; init; } = [];

    /// <summary>
    /// How many written entries the state keeps: enough for the replays and undos that follow a change closely (a household
    /// move undoes its members' moves just made) without reading the table; older keys are found through
    /// <see cref="EarlierOperations"/>.
    /// </summary>
    public const int HistoryTail = 16;

    /// <summary>The entries of <see cref="History"/> not yet in the history table, with their places.</summary>
    [JsonIgnore]
    public IEnumerable<(int Place, ResidentChange Entry)> HistoryOwed =>
        History.Select((entry, index) => (HistoryStart + index, entry)).Skip(HistoryWritten - HistoryStart);

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
    public bool HasPendingEffects =>
        PendingCounts.Count > 0 || ProjectionPending || OwedCardSteps.Count > 0 || HistoryWritten < HistoryStart + History.Count;

    /// <summary>Whether work is unfinished: effects owed, or a new number not yet handed over to.</summary>
    [JsonIgnore]
    public bool HasUnfinishedWork => HasPendingEffects || RenumberingTo is not null;
}
