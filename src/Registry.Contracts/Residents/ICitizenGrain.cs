using Orleans.Concurrency;
using Registry.Contracts.Cards;

namespace Registry.Contracts.Residents;

/// <summary>
/// One person, keyed by their 12-digit personal ID number: the source of truth for their record and its history.
/// Named after the design's Citizen grain; it also holds people whose nationality is undetermined. A number
/// replaced by a new one keeps resolving to it: reads and changes sent to the old number reach the person.
/// </summary>
public interface ICitizenGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a newly registered person under this number and counts them in their province. Repeating the call
    /// with the same record is harmless.
    /// </summary>
    /// <returns>True when the number holds this record; false when it already holds somebody else (nothing changed).</returns>
    Task<bool> CreateAsync(ResidentRecord record, ResidentChange registration);

    /// <summary>The person's current record (under their current number), or null when nobody holds this number.</summary>
    [ReadOnly]
    Task<ResidentRecord?> GetAsync();

    /// <summary>The person's current record with the citizen's state version, or null when nobody holds this number.</summary>
    [ReadOnly]
    Task<ResidentView?> GetViewAsync();

    /// <summary>The person's history, oldest first; empty when nobody holds this number.</summary>
    [ReadOnly]
    Task<ResidentChange[]> GetHistoryAsync();

    /// <summary>The number asked about, the current one, and the earlier ones; null when nobody holds this number.</summary>
    [ReadOnly]
    Task<NumberLineage?> GetNumbersAsync();

    /// <summary>
    /// Corrects fields; issues a new number when a corrected birth date or sex contradicts this one. A correction of full
    /// name, birth date or sex is refused unless it carries a second official's approval (<see cref="IProposalGrain"/>).
    /// </summary>
    Task<ChangeOutcome> AmendAsync(AmendResident command);

    /// <summary>
    /// Records the person's death and takes them out of their province's resident count; refused unless the command
    /// carries a second official's approval (<see cref="IProposalGrain"/>).
    /// </summary>
    Task<ChangeOutcome> RecordDeathAsync(RecordDeath command);

    /// <summary>
    /// Whether a proposed death or correction would apply if a second official approved it now, and where the person
    /// lives (whose officers approve); stores nothing.
    /// </summary>
    [ReadOnly]
    Task<ProposalCheck> CheckProposalAsync(ProposedChange change);

    /// <summary>
    /// Moves the person's permanent residence: the change and the province counts it owes (a departure from the old
    /// province, an arrival in the new one, each with an operation id the province deduplicates) are stored first,
    /// then the provinces are told, then the change is marked done. An unfinished move is finished on the next
    /// activation or by the sweep of unfinished work, so nobody is ever half-moved.
    /// </summary>
    Task<ChangeOutcome> RelocateAsync(Relocate command);

    /// <summary>What <see cref="RelocateAsync"/> would answer, without storing anything: null when it would move the person.</summary>
    [ReadOnly]
    Task<ChangeOutcome?> CheckRelocationAsync(Relocate command);

    /// <summary>
    /// Moves the person back to where the relocation made with <paramref name="relocationKey"/> took them from, as a change
    /// of its own made with <paramref name="idempotencyKey"/>, while they still live where that relocation took them.
    /// </summary>
    Task<ChangeOutcome> UndoRelocationAsync(string relocationKey, string idempotencyKey, Access.Actor actor);

    /// <summary>
    /// Moves the permanent residence from a province a reorganisation absorbed to the surviving one; the number stays.
    /// Does nothing (and says so) unless the person is alive and lives in <see cref="Provinces.ProvinceReassignment.From"/>.
    /// </summary>
    /// <returns>True when this call moved the person.</returns>
    Task<bool> ReassignProvinceAsync(Provinces.ProvinceReassignment reassignment);

    /// <summary>Registers a temporary residence, or extends the current one.</summary>
    Task<ChangeOutcome> RegisterTemporaryResidenceAsync(RegisterTemporaryResidence command);

    /// <summary>Declares a temporary absence from the permanent residence.</summary>
    Task<ChangeOutcome> DeclareTemporaryAbsenceAsync(DeclareTemporaryAbsence command);

    /// <summary>
    /// Flags the permanent residence for deletion when, on <paramref name="day"/>, the person has been away 12 months
    /// after their last registration elsewhere ended (Law on Residence 68/2020 Art. 24). Called by the residence sweep;
    /// <paramref name="sweepId"/> makes a repeated sweep harmless.
    /// </summary>
    /// <returns>True when this call flagged the person.</returns>
    Task<bool> FlagIfAwayTooLongAsync(string sweepId, DateOnly day);

    /// <summary>Finishes a stored change whose effects are still owed; harmless when there is none.</summary>
    Task ResumeAsync();

    /// <summary>
    /// Sets the person's lock against partners (<see cref="Access.RecordLock"/>); the record itself does not change.
    /// </summary>
    /// <returns>The lock now held; null when nobody holds this number (nothing stored).</returns>
    Task<Access.RecordLock?> SetLockAsync(Access.RecordLock recordLock);

    /// <summary>The person's lock as they set it; null when nobody holds this number.</summary>
    [ReadOnly]
    Task<Access.RecordLock?> GetLockAsync();

    /// <summary>
    /// The record as a ministry partner may see it: nobody, locked (with no record: the data never leaves the grain),
    /// or the record, judged by the lock at this grain's clock.
    /// </summary>
    [ReadOnly]
    Task<Access.PartnerView> GetForPartnerAsync();

    /// <summary>
    /// Takes an application for an identity card: one open application per person, refused for a dead person, a first
    /// card below 14 only through a parent or guardian. Allocates the card's document number and creates its grain.
    /// </summary>
    Task<CardOutcome> ApplyForCardAsync(ApplyForCard command);

    /// <summary>
    /// Produces, issues, reports lost or revokes one of the person's cards. Issuing makes it the current card and revokes
    /// the one it replaces, so at most one card of the person is valid at any time.
    /// </summary>
    Task<CardOutcome> ChangeCardAsync(ChangeCard command);

    /// <summary>
    /// Records a chip card issued before 1 July 2024 as the person's current card, with its printed expiry; refused for
    /// an unknown or dead person, a person holding a valid card, a number another card has, an issue date on or after
    /// 1 July 2024. Its grain is created under its own number, so two imports of one number meet there.
    /// </summary>
    Task<CardOutcome> ImportCardAsync(ImportCard command);

    /// <summary>
    /// Records the expiry of <paramref name="card"/> (the daily sweep's call): only when it is the person's current card,
    /// stored as issued and past its last valid day on Vietnam's calendar; a card renewed or replaced meanwhile is left
    /// alone, and a repeated call records nothing twice.
    /// </summary>
    /// <returns>True when this call recorded the expiry.</returns>
    Task<bool> RecordCardExpiryAsync(DocumentNumber card);

    /// <summary>The person's open application and current card; null when nobody holds this number.</summary>
    [ReadOnly]
    Task<PersonCards?> GetCardsAsync();

    /// <summary>
    /// Takes over the cards of a person renumbered to this number by a correction of birth date or sex (called by the old
    /// number's grain only), and opens the change-of-data application the correction calls for; harmless when repeated.
    /// </summary>
    Task TakeOverCardsAsync(PersonCards cards, string idempotencyKey, Access.Actor actor);

    /// <summary>
    /// Takes over a person whose old number a correction made inconsistent: this grain's number is the new one.
    /// Called by the old number's grain only; repeating it is harmless.
    /// </summary>
    /// <returns>True when this number holds the person; false when it already holds somebody else.</returns>
    Task<bool> AdoptAsync(ResidentRecord record, ResidentChange[] history);
}

/// <summary>A person's record and the citizen's state version it belongs to.</summary>
/// <param name="Resident">The current record.</param>
/// <param name="Version">Incremented by every stored change.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidentView")]
public sealed record ResidentView([property: Id(0)] ResidentRecord Resident, [property: Id(1)] long Version);
