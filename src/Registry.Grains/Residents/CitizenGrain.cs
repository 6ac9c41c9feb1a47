using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Database.Resumption;
using Registry.Database.Telemetry;
using Registry.Domain;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// One person, keyed by their personal ID number; the source of truth for their record and its history. Every change is
/// the same pipeline (<see cref="ChangeAsync"/>): go to the person's current number, replay a repeated key, decide in
/// <c>Registry.Domain</c>, store the decision with what it owes (the intent), then run what it owes (counts, the read
/// model; <c>CitizenGrain.Effects.cs</c>). A correction that contradicts the number moves the person to a new one
/// (<c>CitizenGrain.Numbering.cs</c>).
/// </summary>
public sealed partial class CitizenGrain(
    [PersistentState(RegistryStorage.CitizenState, RegistryStorage.Name)] IPersistentState<CitizenState> state,
    ResidentProjection projection,
    ResidentHistory history,
    ResidentDirectory directory,
    UnfinishedWork unfinished,
    TimeProvider time,
    ILogger<CitizenGrain> logger)
    : Grain, ICitizenGrain
{
    private CitizenState State => state.State;

    private PersonalIdNumber Number => PersonalIdNumber.TryParse(this.GetPrimaryKeyString(), out var number, out var error)
        ? number
        : throw new InvalidOperationException($"Citizen grain key is not a personal ID number: {error}");

    private DateOnly Today => VietnamCalendar.Today(time);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FinishOwedAsync();
        }
        catch (Exception ex)
        {
            // Still pending in storage; the next activation or call finishes it.
            LogEffectsDeferred(logger, ex, this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateAsync(ResidentRecord record, ResidentChange registration)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(registration);
        EnsureAddressedTo(record);
        if (State.Resident is { } existing)
        {
            if (existing != record)
            {
                return false;
            }
        }
        else
        {
            await StoreAsync(CitizenState.Registered(record, registration));
            RegistryMetrics.Registered(record.PermanentResidenceProvince);
        }

        await RunPendingEffectsAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<ResidentRecord?> GetAsync() =>
        AtCurrentNumberAsync(successor => successor.GetAsync(), () => Task.FromResult(State.Resident), finishOwed: false);

    /// <inheritdoc />
    public Task<ResidentView?> GetViewAsync() =>
        AtCurrentNumberAsync(successor => successor.GetViewAsync(),
            () => Task.FromResult(State.Resident is { } resident ? new ResidentView(resident, State.Version) : null), finishOwed: false);

    /// <inheritdoc />
    public Task<ResidentChange[]> GetHistoryAsync() =>
        AtCurrentNumberAsync(successor => successor.GetHistoryAsync(), WholeHistoryAsync, finishOwed: false);

    /// <inheritdoc />
    public Task<ChangeOutcome> AmendAsync(AmendResident command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.AmendAsync(command), async () => await AfterCorrectionAsync(command, await ChangeAsync(command.IdempotencyKey,
            entries => Amendments.IsReplayOf(command, entries), resident => DecideAmendmentAsync(command, resident))));
    }

    /// <inheritdoc />
    public Task<ChangeOutcome> RecordDeathAsync(RecordDeath command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.RecordDeathAsync(command), async () => await AfterDeathAsync(command, Counted(await ChangeAsync(command.IdempotencyKey,
            entries => Amendments.IsReplayOf(command, entries),
            resident => Task.FromResult(Amendments.Decide(command, resident, Today, time.GetUtcNow()))), RegistryMetrics.Died)));
    }

    /// <inheritdoc />
    /// <remarks>Read-only like <see cref="CheckRelocationAsync"/>: it decides on the stored record and stores nothing.</remarks>
    public Task<ProposalCheck> CheckProposalAsync(ProposedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return AtCurrentNumberAsync(successor => successor.CheckProposalAsync(change), async () =>
        {
            if (State.Resident is not { } resident)
            {
                return new ProposalCheck(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
                    [new FieldError("personalIdNumber", $"{Number} is not in the registry.")]), Number, "");
            }

            if ((await EntriesOfAsync(change.IdempotencyKey)).Length > 0)
            {
                return new ProposalCheck(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a change of this person; nothing was changed.",
                    [new FieldError("idempotencyKey", $"'{change.IdempotencyKey}' belongs to an earlier change. Use a new key for a new change.")]), Number, "");
            }

            var decision = Amendments.DecideProposal(change, resident, Today, time.GetUtcNow());
            if (decision is Acceptance accepted && await MissingLinksAsync(accepted.NewLinks) is { } missing)
            {
                decision = new Refused(missing);
            }

            return new ProposalCheck((decision as Refused)?.Refusal, resident.PersonalIdNumber, resident.PermanentResidenceProvince);
        }, finishOwed: false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The intent is the moved record with the departure and arrival it owes, stored before either province is told;
    /// from there the move finishes whatever happens (this call, the next activation, or the sweep), so nobody is
    /// half-moved.
    /// </remarks>
    public Task<ChangeOutcome> RelocateAsync(Relocate command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.RelocateAsync(command),
            async () => Counted(
                await ChangeAsync(command.IdempotencyKey, entries => Relocations.IsReplayOf(command, entries), resident => DecideRelocationAsync(command, resident)),
                RegistryMetrics.Relocated));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Read-only: it interleaves with the person's other read-only calls, so it finishes nothing still owed. The stored
    /// record already holds every stored change, so the answer is the same; the move itself finishes them.
    /// </remarks>
    public Task<ChangeOutcome?> CheckRelocationAsync(Relocate command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.CheckRelocationAsync(command), async () =>
            (await DecideAsync(command.IdempotencyKey, entries => Relocations.IsReplayOf(command, entries), resident => DecideRelocationAsync(command, resident))).Answer,
            finishOwed: false);
    }

    /// <inheritdoc />
    public Task<ChangeOutcome> UndoRelocationAsync(string relocationKey, string idempotencyKey, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        // Any change stored under the undo's key is the undo: only the household grain undoes, under keys it derives.
        return AtCurrentNumberAsync(successor => successor.UndoRelocationAsync(relocationKey, idempotencyKey, actor), () => ChangeAsync(idempotencyKey, static _ => true,
            async resident => Relocations.DecideUndo(resident, await EntriesOfAsync(relocationKey), relocationKey, idempotencyKey, actor, time.GetUtcNow())));
    }

    /// <inheritdoc />
    public Task<bool> ReassignProvinceAsync(ProvinceReassignment reassignment)
    {
        ArgumentNullException.ThrowIfNull(reassignment);
        // Already moved by this plan, moved elsewhere meanwhile, dead, or nobody: nothing to do.
        return AtCurrentNumberAsync(successor => successor.ReassignProvinceAsync(reassignment),
            () => ApplyIfAnyAsync(ProvinceReassignments.Decide(reassignment, State.Resident, time.GetUtcNow())));
    }

    /// <inheritdoc />
    public Task<ChangeOutcome> RegisterTemporaryResidenceAsync(RegisterTemporaryResidence command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.RegisterTemporaryResidenceAsync(command), () => ChangeAsync(command.IdempotencyKey,
            entries => TemporaryResidences.IsReplayOf(command, entries),
            async resident => TemporaryResidences.Decide(command, resident, await DestinationErrorAsync(command.Address), Today, time.GetUtcNow())));
    }

    /// <inheritdoc />
    public Task<ChangeOutcome> DeclareTemporaryAbsenceAsync(DeclareTemporaryAbsence command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.DeclareTemporaryAbsenceAsync(command), () => ChangeAsync(command.IdempotencyKey,
            entries => TemporaryResidences.IsReplayOf(command, entries),
            resident => Task.FromResult(TemporaryResidences.Decide(command, resident, Today, time.GetUtcNow()))));
    }

    /// <inheritdoc />
    public Task<bool> FlagIfAwayTooLongAsync(string sweepId, DateOnly day) =>
        AtCurrentNumberAsync(successor => successor.FlagIfAwayTooLongAsync(sweepId, day),
            () => ApplyIfAnyAsync(State.Resident is { } resident ? TemporaryResidences.DecideFlag(resident, sweepId, day, time.GetUtcNow()) : null));

    /// <summary>
    /// The one way a call reaches the person's current number: a number replaced by a correction forwards every call to
    /// its successor. A writing call first finishes what this number still owes (effects of a change whose call failed
    /// half-way, a renumbering half-done), so that a repeated request is answered only once what it did is counted and
    /// searchable; a read-only call finishes nothing and reads the state as it is, since it interleaves with other reads.
    /// </summary>
    private async Task<T> AtCurrentNumberAsync<T>(Func<ICitizenGrain, Task<T>> atSuccessor, Func<Task<T>> here, bool finishOwed = true)
    {
        if (finishOwed)
        {
            await FinishOwedAsync();
        }

        return State.SupersededBy is { } successor ? await atSuccessor(GrainFactory.Citizen(successor)) : await here();
    }

    /// <summary>The pipeline of every change: replay or decide, then store the decision with what it owes and run that.</summary>
    private async Task<ChangeOutcome> ChangeAsync(
        string idempotencyKey, Func<IEnumerable<ResidentChange>, bool> isReplay, Func<ResidentRecord, Task<Decision>> decide)
    {
        var (answer, accepted) = await DecideAsync(idempotencyKey, isReplay, decide);
        if (answer is not null)
        {
            return answer;
        }

        if (accepted!.NeedsNewNumber)
        {
            return await RenumberAsync(accepted);
        }

        await ApplyAsync(accepted);
        return new Changed(accepted.Updated, Replayed: false) { Version = State.Version };
    }

    // A change is counted where this number stores it: a replay of its key, a refusal, or the successor a superseded
    // number forwards to (which counts it there) is not counted here, so a household's move counts each member once.
    private static ChangeOutcome Counted(ChangeOutcome outcome, Action<string> count)
    {
        if (outcome is Changed { Replayed: false } changed)
        {
            count(changed.Resident.PermanentResidenceProvince);
        }

        return outcome;
    }

    // The answer without storing anything: not found, a replay of the change stored under the key, a refusal, or the
    // acceptance to store.
    private async Task<(ChangeOutcome? Answer, Acceptance? Accepted)> DecideAsync(
        string idempotencyKey, Func<IEnumerable<ResidentChange>, bool> isReplay, Func<ResidentRecord, Task<Decision>> decide)
    {
        if (State.Resident is not { } resident)
        {
            return (new ChangeRefused(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
                [new FieldError("personalIdNumber", $"{Number} is not in the registry.")])), null);
        }

        var done = (await EntriesOfAsync(idempotencyKey)).Where(static entry => entry.Kind != ResidentChangeKind.NumberChange).ToArray();
        if (done.Length > 0)
        {
            return (isReplay(done)
                ? new Changed(resident, Replayed: true) { Version = State.Version }
                : new ChangeRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a different change; nothing was changed.",
                    [new FieldError("idempotencyKey", $"'{idempotencyKey}' belongs to an earlier change with other content. Use a new key for a new change.")])), null);
        }

        return await decide(resident) switch
        {
            Refused refused => (new ChangeRefused(refused.Refusal), null),
            var decision => (null, (Acceptance)decision),
        };
    }

    // The person's whole history: the entries only in the table, then those in the state. A person whose state holds it
    // all (everybody with few changes) costs no read.
    private async Task<ResidentChange[]> WholeHistoryAsync()
    {
        var current = State;
        return current.HistoryStart == 0 ? [.. current.History] : [.. await history.ReadAsync(Number, current.HistoryStart), .. current.History];
    }

    // The entries of the person's history stored under a key, oldest first. Looked up in the table only when the key may
    // be older than the state's tail: a new key, nearly every key, costs no read.
    private async Task<ResidentChange[]> EntriesOfAsync(string key)
    {
        var current = State;
        var recent = current.History.Where(entry => entry.OperationId == key);
        return current.EarlierOperations.MayHold(key)
            ? [.. await history.FindAsync(Number, key, current.HistoryStart), .. recent]
            : [.. recent];
    }

    private async Task<bool> ApplyIfAnyAsync(Acceptance? accepted)
    {
        if (accepted is null)
        {
            return false;
        }

        await ApplyAsync(accepted);
        return true;
    }

    // A correction that links people (spouse, parents, guardian) is refused when a linked person is not in the registry.
    private async Task<Decision> DecideAmendmentAsync(AmendResident command, ResidentRecord resident)
    {
        var decision = Amendments.Decide(command, resident, Today, time.GetUtcNow());
        return decision is Acceptance accepted && await MissingLinksAsync(accepted.NewLinks) is { } missing ? new Refused(missing) : decision;
    }

    private async Task<Decision> DecideRelocationAsync(Relocate command, ResidentRecord resident) =>
        Relocations.Decide(command, resident, State.Version, await DestinationErrorAsync(command.Destination), Today, time.GetUtcNow());

    // The destination province answers whether the commune is one of its own; an unknown province is the decision's to refuse.
    private async Task<FieldError?> DestinationErrorAsync(ResidenceAddress? address) =>
        address is not null && ProvinceCatalog.IsKnown(address.ProvinceCode)
            ? await GrainFactory.Province(address.ProvinceCode).CheckDestinationAsync(address.CommuneCode ?? "")
            : null;

    private async Task<Refusal?> MissingLinksAsync(IEnumerable<(string Field, PersonalIdNumber Number)> links) =>
        await LinkedPeople.CheckAsync(directory, links) is { Length: > 0 } errors
            ? new Refusal(RefusalKind.Invalid, "A linked person is not in the registry; nothing was changed.", errors)
            : null;

    private void EnsureAddressedTo(ResidentRecord record)
    {
        if (record.PersonalIdNumber != Number)
        {
            throw new ArgumentException($"Record for {record.PersonalIdNumber} sent to citizen {Number}.", nameof(record));
        }
    }
}
