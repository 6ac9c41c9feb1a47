using System.Text.Json.Serialization;
using Orleans.Concurrency;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Residents;

/// <summary>
/// A change that can ruin a life — recording a death, correcting a full name, birth date or sex — proposed by one official
/// and applied only when a second official of the person's province, or a central administrator, approves it (issue 11:
/// four eyes). Keyed by the proposal's id, which the person's number and the proposer's idempotency key derive
/// (<see cref="RegistryGrains.Proposal"/>), so a repeated proposal finds the first. The grain holds the proposal and
/// applies it through the citizen's pipeline with the approval attached; it never waits on a grain that calls it back.
/// </summary>
public interface IProposalGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the proposal after the citizen checked that the change would apply once approved; stores nothing when it would
    /// not. The same proposal again answers as the first time; another change under the same id is refused (409).
    /// </summary>
    Task<ProposalOutcome> ProposeAsync(PersonalIdNumber personalIdNumber, ProposedChange change);

    /// <summary>Approves, rejects or withdraws the proposal as <paramref name="actor"/>; an approval applies the change.</summary>
    Task<ProposalOutcome> DecideAsync(Actor actor, ProposalVerdict verdict);

    /// <summary>The proposal as stored, or null when nothing was proposed under this id.</summary>
    [ReadOnly]
    Task<Proposal?> GetAsync();
}

/// <summary>What the change of a proposal is: exactly one of a death or an amendment.</summary>
/// <param name="Death">A death to record.</param>
/// <param name="Amendment">A correction touching the full name, birth date or sex (and possibly other fields with it).</param>
/// <remarks>One property per kind rather than an abstract type: stored JSON names no types.</remarks>
[GenerateSerializer, Immutable, Alias("registry.ProposedChange")]
public sealed record ProposedChange([property: Id(0)] RecordDeath? Death, [property: Id(1)] AmendResident? Amendment)
{
    /// <summary>The official who proposed the change.</summary>
    [JsonIgnore]
    public Actor Proposer => Death?.Actor ?? Amendment?.Actor ?? throw new InvalidOperationException("A proposed change is a death or an amendment.");

    /// <summary>The proposer's idempotency key, under which the citizen records the change once approved.</summary>
    [JsonIgnore]
    public string IdempotencyKey => Death?.IdempotencyKey ?? Amendment?.IdempotencyKey ?? throw new InvalidOperationException("A proposed change is a death or an amendment.");
}

/// <summary>The approval a death or correction carries to the citizen.</summary>
/// <param name="ProposalId">The proposal that was approved.</param>
/// <param name="Approver">The second official, who is not the proposer.</param>
[GenerateSerializer, Immutable, Alias("registry.Approval")]
public sealed record Approval([property: Id(0)] string ProposalId, [property: Id(1)] Actor Approver);

/// <summary>A proposal and where it stands.</summary>
/// <param name="Id">The proposal's id (lower-case letters and digits).</param>
/// <param name="PersonalIdNumber">The person's number when proposed.</param>
/// <param name="ProvinceCode">The province of the person's permanent residence when proposed: whose officers may approve, and whose list shows it.</param>
/// <param name="Change">The change proposed.</param>
/// <param name="ProposedAt">When it was proposed.</param>
/// <param name="ExpiresAt">After this instant it can no longer be approved.</param>
[GenerateSerializer, Immutable, Alias("registry.Proposal")]
public sealed record Proposal(
    [property: Id(0)] string Id,
    [property: Id(1)] PersonalIdNumber PersonalIdNumber,
    [property: Id(2)] string ProvinceCode,
    [property: Id(3)] ProposedChange Change,
    [property: Id(4)] DateTimeOffset ProposedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt)
{
    /// <summary>Where the proposal stands as stored; an open one past <see cref="ExpiresAt"/> reads as expired.</summary>
    [Id(6)]
    public ProposalStatus Status { get; init; } = ProposalStatus.Open;

    /// <summary>Who approved, rejected or withdrew it; null while open.</summary>
    [Id(7)]
    public Actor? DecidedBy { get; init; }

    /// <summary>When it was approved, rejected or withdrawn.</summary>
    [Id(8)]
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The number the person holds after the approved change (a new one when a correction contradicted the old).</summary>
    [Id(9)]
    public PersonalIdNumber? AppliedTo { get; init; }
}

/// <summary>Where a proposal stands.</summary>
[GenerateSerializer, Alias("registry.ProposalStatus")]
public enum ProposalStatus
{
    /// <summary>Waiting for a second official.</summary>
    Open = 0,

    /// <summary>Approved; the change is being applied (finished by the next call or activation).</summary>
    Approving = 1,

    /// <summary>Approved and applied.</summary>
    Approved = 2,

    /// <summary>A second official refused it; nothing changed.</summary>
    Rejected = 3,

    /// <summary>The proposer took it back; nothing changed.</summary>
    Withdrawn = 4,

    /// <summary>Nobody approved it in time; nothing changed. Never stored: an open proposal past its expiry reads so.</summary>
    Expired = 5,
}

/// <summary>What an official decides about a proposal.</summary>
[GenerateSerializer, Alias("registry.ProposalVerdict")]
public enum ProposalVerdict
{
    /// <summary>A second official approves: the change applies.</summary>
    Approve = 0,

    /// <summary>A second official refuses it.</summary>
    Reject = 1,

    /// <summary>The proposer takes it back.</summary>
    Withdraw = 2,
}

/// <summary>What became of a proposal request.</summary>
[GenerateSerializer, Immutable, Alias("registry.ProposalOutcome")]
public abstract record ProposalOutcome;

/// <summary>The proposal as it stands after the request.</summary>
/// <param name="Proposal">The proposal.</param>
/// <param name="Replayed">True when an earlier identical request did this.</param>
[GenerateSerializer, Immutable, Alias("registry.ProposalOutcome.Answered")]
public sealed record ProposalAnswered([property: Id(0)] Proposal Proposal, [property: Id(1)] bool Replayed) : ProposalOutcome
{
    /// <summary>The person's record after an approval applied the change (now or, replayed, before); otherwise null.</summary>
    [Id(2)]
    public Changed? Applied { get; init; }
}

/// <summary>The request was refused and nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.ProposalOutcome.Refused")]
public sealed record ProposalRefused([property: Id(0)] Refusal Refusal) : ProposalOutcome;

/// <summary>What the citizen answers about a change proposed for it: why it would not apply once approved, or where the person lives.</summary>
/// <param name="Refusal">Why the change would be refused even when approved; null when it would apply.</param>
/// <param name="PersonalIdNumber">The person's current number.</param>
/// <param name="ProvinceCode">The province of the person's permanent residence.</param>
[GenerateSerializer, Immutable, Alias("registry.ProposalCheck")]
public sealed record ProposalCheck(
    [property: Id(0)] Refusal? Refusal,
    [property: Id(1)] PersonalIdNumber PersonalIdNumber,
    [property: Id(2)] string ProvinceCode);
