using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>Stored state of a proposal.</summary>
public sealed record ProposalState
{
    /// <summary>The proposal; null while nothing was proposed under this id.</summary>
    public Proposal? Proposal { get; init; }

    /// <summary>Incremented by every stored change; the list's row keeps the newest.</summary>
    public long Version { get; init; }
}

/// <summary>
/// One proposal of a change that needs a second official (see <see cref="IProposalGrain"/>). A grain of its own rather
/// than part of the citizen: the citizen's state is rewritten whole on every change and would carry every proposal ever
/// made about the person, an approval addresses the proposal by its id alone, and the proposal outlives a renumbering
/// that hands the person to another grain. It calls the citizen and nothing calls it back, so the two never wait on each
/// other. An approval is stored (approving) before the citizen is told, and the citizen's idempotency key is the
/// proposer's, so an approval cut short finishes on the approver's retry or the next activation and applies once.
/// </summary>
public sealed partial class ProposalGrain(
    [PersistentState(RegistryStorage.ProposalState, RegistryStorage.Name)] IPersistentState<ProposalState> state,
    ProposalList list,
    IOptions<ProposalOptions> options,
    [FromKeyedServices(ProposalGrain.ClockKey)] TimeProvider clock,
    ILogger<ProposalGrain> logger)
    : Grain, IProposalGrain
{
    /// <summary>
    /// The service key of the clock proposals expire by: the silo's clock unless a host registers another, so that a test
    /// can move proposals past their expiry without moving every other grain's today.
    /// </summary>
    public const string ClockKey = "proposals";

    private string Id => this.GetPrimaryKeyString()["proposal:".Length..];

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Proposal is not { } proposal)
        {
            return;
        }

        try
        {
            // The list's row may lag the state when the silo died between the two writes; writing it again is harmless.
            await list.WriteAsync(proposal, state.State.Version, cancellationToken);
            if (proposal.Status == ProposalStatus.Approving)
            {
                await ApplyAsync(proposal, replayed: false);
            }
        }
        catch (Exception ex)
        {
            // Still approving in storage; the approver's retry or the next activation finishes it.
            LogFinishDeferred(logger, ex, Id);
        }
    }

    /// <inheritdoc />
    public async Task<ProposalOutcome> ProposeAsync(PersonalIdNumber personalIdNumber, ProposedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (state.State.Proposal is { } stored)
        {
            return stored.Change == change
                ? new ProposalAnswered(stored, Replayed: true)
                : new ProposalRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a different change; nothing was changed.",
                    [new FieldError("idempotencyKey", $"'{change.IdempotencyKey}' belongs to an earlier proposal with other content. Use a new key for a new change.")]));
        }

        if (change.Death?.Approval is not null || change.Amendment?.Approval is not null)
        {
            return new ProposalRefused(Refusal.Invalid("approval", "A proposal carries no approval: a second official approves it afterwards."));
        }

        var check = await GrainFactory.Citizen(personalIdNumber).CheckProposalAsync(change);
        if (check.Refusal is { } refusal)
        {
            return new ProposalRefused(refusal);
        }

        var proposal = Proposals.Open(Id, check, change, clock.GetUtcNow(), options.Value.OpenFor);
        await StoreAsync(proposal);
        return new ProposalAnswered(proposal, Replayed: false);
    }

    /// <inheritdoc />
    public async Task<ProposalOutcome> DecideAsync(Actor actor, ProposalVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (state.State.Proposal is not { } proposal)
        {
            return new ProposalRefused(new Refusal(RefusalKind.NotFound, "No proposal has this id.",
                [new FieldError("proposalId", $"Nothing was proposed under {Id}.")]));
        }

        switch (Proposals.Decide(proposal, actor, verdict, clock.GetUtcNow()))
        {
            case ProposalVerdictRefused refused:
                return new ProposalRefused(refused.Refusal);
            case ProposalVerdictRepeated repeated:
                return repeated.Proposal.Status is ProposalStatus.Approving or ProposalStatus.Approved
                    ? await ApplyAsync(repeated.Proposal, replayed: true)
                    : new ProposalAnswered(repeated.Proposal, Replayed: true);
            case ProposalVerdictTaken { Next: var next }:
                await StoreAsync(next);
                return next.Status == ProposalStatus.Approving ? await ApplyAsync(next, replayed: false) : new ProposalAnswered(next, Replayed: false);
            default:
                throw new InvalidOperationException("Unknown proposal decision.");
        }
    }

    /// <inheritdoc />
    public Task<Proposal?> GetAsync() => Task.FromResult(state.State.Proposal is { } proposal
        ? proposal with { Status = Proposals.StatusAt(proposal, clock.GetUtcNow()) }
        : null);

    // Applies the approved change through the citizen's pipeline, under the proposer's idempotency key: a repeat is the
    // citizen's replay. A change the citizen refuses (the person died meanwhile, or moved out of the approver's province)
    // leaves the proposal open again, for another official or until it expires.
    private async Task<ProposalOutcome> ApplyAsync(Proposal proposal, bool replayed)
    {
        var approved = Proposals.Approved(proposal);
        var citizen = GrainFactory.Citizen(proposal.PersonalIdNumber);
        var outcome = approved.Death is { } death ? await citizen.RecordDeathAsync(death) : await citizen.AmendAsync(approved.Amendment!);
        switch (outcome)
        {
            case Changed changed:
                if (proposal.Status != ProposalStatus.Approved)
                {
                    proposal = proposal with { Status = ProposalStatus.Approved, AppliedTo = changed.Resident.PersonalIdNumber };
                    await StoreAsync(proposal);
                }

                return new ProposalAnswered(proposal, replayed) { Applied = changed };
            case ChangeRefused refused:
                if (proposal.Status == ProposalStatus.Approving)
                {
                    await StoreAsync(Proposals.Reopened(proposal));
                }

                return new ProposalRefused(refused.Refusal);
            default:
                throw new InvalidOperationException($"Unknown change outcome {outcome.GetType().Name}.");
        }
    }

    private async Task StoreAsync(Proposal proposal)
    {
        var next = new ProposalState { Proposal = proposal, Version = state.State.Version + 1 };
        await state.StoreOrReloadAsync(this, next);
        try
        {
            await list.WriteAsync(proposal, next.Version);
        }
        catch
        {
            // The proposal is stored; its row is written again when the grain next activates.
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proposal {ProposalId}: finishing its approval on activation failed; the next call finishes it")]
    private static partial void LogFinishDeferred(ILogger logger, Exception exception, string proposalId);
}
