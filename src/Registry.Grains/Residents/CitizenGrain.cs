using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Database.Resumption;
using Registry.Domain.Identity;
using Registry.Domain.Residents;
using Registry.Domain;

namespace Registry.Grains.Residents;

/// <summary>One person, keyed by their personal ID number; the source of truth for their record and its history.</summary>
public sealed partial class CitizenGrain(
    [PersistentState(RegistryStorage.CitizenState, RegistryStorage.Name)] IPersistentState<CitizenState> state,
    ResidentProjection projection,
    ResidentDirectory directory,
    UnfinishedWork unfinished,
    TimeProvider time,
    ILogger<CitizenGrain> logger)
    : Grain, ICitizenGrain
{
    // A freshly allocated number is held by an imported person only by coincidence; more than a few in a row means a fault.
    private const int MaxAllocationAttempts = 10;

    // True while the state in memory says the last change's effects are done and the stored one still says pending.
    private bool _doneNotStored;

    private CitizenState State => state.State;

    private PersonalIdNumber Number => PersonalIdNumber.TryParse(this.GetPrimaryKeyString(), out var number, out var error)
        ? number
        : throw new InvalidOperationException($"Citizen grain key is not a personal ID number: {error}");

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (State.RenumberingTo is not null)
            {
                await FinishRenumberingAsync();
            }
            else if (State.HasPendingEffects)
            {
                await RunPendingEffectsAsync();
            }
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
            await StoreAsync(new CitizenState
            {
                Resident = record, Version = 1, History = [registration], PendingCounts = [RegistrationRules.CountOwed(record)], ProjectionPending = true,
            });
        }

        await RunPendingEffectsAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> AdoptAsync(ResidentRecord record, ResidentChange[] history)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(history);
        EnsureAddressedTo(record);
        if (State.Resident is { } existing)
        {
            return existing.PreviousNumbers.SequenceEqual(record.PreviousNumbers);
        }

        // The person is already counted in their province under their old number: adopting changes no count.
        await StoreAsync(new CitizenState { Resident = record, Version = 1, History = history, ProjectionPending = true });
        await RunPendingEffectsAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<ResidentRecord?> GetAsync() =>
        State.SupersededBy is { } current ? GrainFactory.Citizen(current).GetAsync() : Task.FromResult(State.Resident);

    /// <inheritdoc />
    public Task<ResidentView?> GetViewAsync() =>
        State.SupersededBy is { } current ? GrainFactory.Citizen(current).GetViewAsync()
        : Task.FromResult(State.Resident is { } resident ? new ResidentView(resident, State.Version) : null);

    /// <inheritdoc />
    public Task<ResidentChange[]> GetHistoryAsync() =>
        State.SupersededBy is { } current ? GrainFactory.Citizen(current).GetHistoryAsync() : Task.FromResult(State.History.ToArray());

    /// <inheritdoc />
    public async Task<NumberLineage?> GetNumbersAsync()
    {
        if (State.SupersededBy is { } current)
        {
            return await GrainFactory.Citizen(current).GetNumbersAsync() is { } lineage ? lineage with { Requested = Number } : null;
        }

        return State.Resident is { } resident ? new NumberLineage(Number, Number, [.. resident.PreviousNumbers]) : null;
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> AmendAsync(AmendResident command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).AmendAsync(command);
        }

        if (State.Resident is not { } resident)
        {
            return NotFound();
        }

        if (Replay(command.IdempotencyKey, entries => Amendments.IsReplayOf(command, entries)) is { } replay)
        {
            return replay;
        }

        var decision = Amendments.Decide(command, resident, VietnamCalendar.Today(time), time.GetUtcNow());
        if (decision is Refused refused)
        {
            return new ChangeRefused(refused.Refusal);
        }

        var accepted = (Acceptance)decision;
        if (await MissingLinksAsync(accepted.NewLinks) is { } missing)
        {
            return missing;
        }

        if (!accepted.NeedsNewNumber)
        {
            await StoreChangeAsync(accepted.Updated, accepted.Entries, accepted.Counts);
            await RunPendingEffectsAsync();
            return Done(accepted.Updated);
        }

        var newNumber = await AllocateAsync(accepted.Updated);
        var renumbered = Renumbering.Entry(accepted.Entries[0], command.Actor, Number, newNumber, time.GetUtcNow());
        // The intent: the corrected record and the number it moves to, stored before the new number's grain is told.
        await StoreAsync(State with
        {
            Resident = accepted.Updated,
            Version = State.Version + 1,
            History = [.. State.History, .. accepted.Entries, renumbered],
            RenumberingTo = newNumber,
        });
        return new Changed(await FinishRenumberingAsync(), Replayed: false) { Version = 1 };
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> RecordDeathAsync(RecordDeath command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).RecordDeathAsync(command);
        }

        if (State.Resident is not { } resident)
        {
            return NotFound();
        }

        if (Replay(command.IdempotencyKey, entries => Amendments.IsReplayOf(command, entries)) is { } replay)
        {
            return replay;
        }

        var decision = Amendments.Decide(command, resident, VietnamCalendar.Today(time), time.GetUtcNow());
        if (decision is Refused refused)
        {
            return new ChangeRefused(refused.Refusal);
        }

        var accepted = (Acceptance)decision;
        await StoreChangeAsync(accepted.Updated, accepted.Entries, accepted.Counts);
        await RunPendingEffectsAsync();
        return Done(accepted.Updated);
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> RelocateAsync(Relocate command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).RelocateAsync(command);
        }

        var (answer, accepted) = await DecideRelocationAsync(command);
        if (answer is not null)
        {
            return answer;
        }

        // The intent: the moved record with the counts it owes, stored before either province is told. From here the
        // move finishes whatever happens (this call, the next activation, or the sweep), so nobody is half-moved.
        await StoreChangeAsync(accepted!.Updated, accepted.Entries, accepted.Counts);
        await RunPendingEffectsAsync();
        return Done(accepted.Updated);
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome?> CheckRelocationAsync(Relocate command)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Read-only: it interleaves with the person's other read-only calls, so it finishes nothing still owed. The
        // stored record already holds every stored change, so the answer is the same; the move itself finishes them.
        if (State.SupersededBy is { } current)
        {
            return await GrainFactory.Citizen(current).CheckRelocationAsync(command);
        }

        return (await DecideRelocationAsync(command)).Answer;
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> UndoRelocationAsync(string relocationKey, string idempotencyKey, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).UndoRelocationAsync(relocationKey, idempotencyKey, actor);
        }

        if (State.Resident is not { } resident)
        {
            return NotFound();
        }

        if (State.History.Any(entry => entry.OperationId == idempotencyKey))
        {
            return new Changed(resident, Replayed: true) { Version = State.Version };
        }

        var decision = Relocations.DecideUndo(resident, State.History, relocationKey, idempotencyKey, actor, time.GetUtcNow());
        if (decision is Refused refused)
        {
            return new ChangeRefused(refused.Refusal);
        }

        var undone = (Acceptance)decision;

        await StoreChangeAsync(undone.Updated, undone.Entries, undone.Counts);
        await RunPendingEffectsAsync();
        return Done(undone.Updated);
    }

    // Refusal, replay or acceptance of a move, with the destination province asked about the commune; stores nothing.
    private async Task<(ChangeOutcome? Answer, Acceptance? Accepted)> DecideRelocationAsync(Relocate command)
    {
        if (State.Resident is not { } resident)
        {
            return (NotFound(), null);
        }

        if (Replay(command.IdempotencyKey, entries => Relocations.IsReplayOf(command, entries)) is { } replay)
        {
            return (replay, null);
        }

        var destinationError = command.Destination is { } destination && ProvinceCatalog.IsKnown(destination.ProvinceCode)
            ? await GrainFactory.Province(destination.ProvinceCode).CheckDestinationAsync(destination.CommuneCode ?? "")
            : null;
        return Relocations.Decide(command, resident, State.Version, destinationError, VietnamCalendar.Today(time), time.GetUtcNow()) switch
        {
            Refused refused => (new ChangeRefused(refused.Refusal), null),
            var decision => (null, (Acceptance)decision),
        };
    }

    /// <inheritdoc />
    public async Task<bool> ReassignProvinceAsync(ProvinceReassignment reassignment)
    {
        ArgumentNullException.ThrowIfNull(reassignment);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).ReassignProvinceAsync(reassignment);
        }

        // Already moved by this plan, moved elsewhere meanwhile, dead, or nobody: nothing to do.
        if (ProvinceReassignments.Decide(reassignment, State.Resident, time.GetUtcNow()) is not { } reassigned)
        {
            return false;
        }

        await StoreChangeAsync(reassigned.Updated, reassigned.Entries, reassigned.Counts);
        await RunPendingEffectsAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> RegisterTemporaryResidenceAsync(RegisterTemporaryResidence command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).RegisterTemporaryResidenceAsync(command);
        }

        var destinationError = command.Address is { } address && ProvinceCatalog.IsKnown(address.ProvinceCode)
            ? await GrainFactory.Province(address.ProvinceCode).CheckDestinationAsync(address.CommuneCode ?? "")
            : null;
        return await ChangeAsync(command.IdempotencyKey,
            entries => entries.All(entry => entry.Kind == ResidentChangeKind.TemporaryResidence && entry.Actor == command.Actor
                && entry.NewValue?.StartsWith((command.Address! with { Address = command.Address.Address?.Normalize().Trim() ?? "" }).ToString(), StringComparison.Ordinal) == true),
            resident => TemporaryResidences.Decide(command, resident, destinationError, VietnamCalendar.Today(time), time.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task<ChangeOutcome> DeclareTemporaryAbsenceAsync(DeclareTemporaryAbsence command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).DeclareTemporaryAbsenceAsync(command);
        }

        return await ChangeAsync(command.IdempotencyKey,
            entries => entries.All(entry => entry.Kind == ResidentChangeKind.TemporaryResidence && entry.Actor == command.Actor
                && entry.NewValue?.StartsWith(ResidentFields.Text(command.From), StringComparison.Ordinal) == true),
            resident => TemporaryResidences.Decide(command, resident, VietnamCalendar.Today(time), time.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task<bool> FlagIfAwayTooLongAsync(string sweepId, DateOnly day)
    {
        if (await CurrentHolderAsync() is { } current)
        {
            return await GrainFactory.Citizen(current).FlagIfAwayTooLongAsync(sweepId, day);
        }

        if (State.Resident is not { } resident || TemporaryResidences.DecideFlag(resident, sweepId, day, time.GetUtcNow()) is not { } flagged)
        {
            return false;
        }

        await StoreChangeAsync(flagged.Updated, flagged.Entries, flagged.Counts);
        await RunPendingEffectsAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task ResumeAsync()
    {
        if (State.RenumberingTo is not null)
        {
            await FinishRenumberingAsync();
        }
        else if (State.HasPendingEffects)
        {
            await RunPendingEffectsAsync();
        }
        else
        {
            // Nothing is owed: the mark's clear was lost, or it was made for a change whose write failed and that storage
            // does not hold (its version is above the stored one). Only this grain marks this person, and only just before
            // it stores, so every mark left now is stale whatever its version; kept, it would wake the person every sweep.
            await unfinished.ClearAsync(Number, long.MaxValue);
        }
    }

    // A change decided purely from the record, stored with its history and no count: replay, refusal, or applied.
    private async Task<ChangeOutcome> ChangeAsync(string idempotencyKey, Func<IEnumerable<ResidentChange>, bool> isReplay, Func<ResidentRecord, Decision> decide)
    {
        if (State.Resident is not { } resident)
        {
            return NotFound();
        }

        if (Replay(idempotencyKey, isReplay) is { } replay)
        {
            return replay;
        }

        var decision = decide(resident);
        if (decision is Refused refused)
        {
            return new ChangeRefused(refused.Refusal);
        }

        var accepted = (Acceptance)decision;
        await StoreChangeAsync(accepted.Updated, accepted.Entries, accepted.Counts);
        await RunPendingEffectsAsync();
        return Done(accepted.Updated);
    }

    private Changed Done(ResidentRecord updated) => new(updated, Replayed: false) { Version = State.Version };

    // The number calls must go to: this one's successor once renumbering is finished (or is finished now). Effects
    // still owed by an earlier change (its call failed half-way) are finished first, so that a repeated request is
    // answered only once what it did is counted and searchable.
    private async Task<PersonalIdNumber?> CurrentHolderAsync()
    {
        if (State.RenumberingTo is not null)
        {
            await FinishRenumberingAsync();
        }
        else if (State.HasPendingEffects)
        {
            await RunPendingEffectsAsync();
        }

        return State.SupersededBy;
    }

    private ChangeOutcome? Replay(string idempotencyKey, Func<IEnumerable<ResidentChange>, bool> isReplay)
    {
        var done = State.History.Where(entry => entry.OperationId == idempotencyKey && entry.Kind != ResidentChangeKind.NumberChange).ToArray();
        if (done.Length == 0)
        {
            return null;
        }

        return isReplay(done)
            ? new Changed(State.Resident!, Replayed: true) { Version = State.Version }
            : new ChangeRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a different change; nothing was changed.",
                [new FieldError("idempotencyKey", $"'{idempotencyKey}' belongs to an earlier change with other content. Use a new key for a new change.")]));
    }

    private async Task<ChangeRefused?> MissingLinksAsync(IEnumerable<(string Field, PersonalIdNumber Number)> links) =>
        await LinkedPeople.CheckAsync(directory, links) is { Length: > 0 } errors
            ? new ChangeRefused(new Refusal(RefusalKind.Invalid, "A linked person is not in the registry; nothing was changed.", errors))
            : null;

    private async Task<PersonalIdNumber> AllocateAsync(ResidentRecord record)
    {
        var prefix = IdNumberPrefix.For(record.BirthRegistrationProvince, record.Sex, record.BirthDate);
        return await GrainFactory.IdNumberAllocator(prefix).AllocateAsync();
    }

    private async Task<ResidentRecord> FinishRenumberingAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var target = State.RenumberingTo!.Value;
            var (moved, counts) = Renumbering.HandOver(State.Resident!, target);
            if (await GrainFactory.Citizen(target).AdoptAsync(moved, [.. State.History]))
            {
                await StoreAsync(State with
                {
                    SupersededBy = target, RenumberingTo = null, Version = State.Version + 1, ProjectionPending = true, PendingCounts = [.. State.PendingCounts, .. counts],
                });
                await RunPendingEffectsAsync();
                return moved;
            }

            // The allocated number belongs to a person imported with a number issued before the registry.
            if (attempt == MaxAllocationAttempts)
            {
                throw new InvalidOperationException($"{MaxAllocationAttempts} numbers allocated for {Number} were all held by other people.");
            }

            await StoreAsync(State with { RenumberingTo = await AllocateAsync(State.Resident!) });
        }
    }

    private Task StoreChangeAsync(ResidentRecord updated, ResidentChange[] entries, OwedCount[] counts) =>
        StoreAsync(State with
        {
            Resident = updated,
            Version = State.Version + 1,
            History = [.. State.History, .. entries],
            PendingCounts = [.. State.PendingCounts, .. counts],
            ProjectionPending = true,
        });

    private async Task StoreAsync(CitizenState next)
    {
        if (next.HasUnfinishedWork && (next.Version != State.Version || !State.HasUnfinishedWork))
        {
            // Registered before the state that owes the work is stored: if this silo dies right after, the sweep finds the person.
            await unfinished.MarkAsync(Number, next.Version);
        }

        await state.StoreOrReloadAsync(this, next.Version != State.Version ? next with { ChangedAt = time.GetUtcNow() } : next);
        _doneNotStored = false;
    }

    // Every effect is idempotent (operation ids at the province, versions in the read model), so running one twice
    // after a crash is harmless. The change is acknowledged only after them: an acknowledged change is counted and
    // searchable.
    private async Task RunPendingEffectsAsync()
    {
        if (!State.HasPendingEffects)
        {
            return;
        }

        var resident = State.Resident!;
        var projecting = State.ProjectionPending
            ? projection.ProjectAsync(new ResidentSnapshot(resident, State.Version, State.SupersededBy, State.ChangedAt))
            : Task.CompletedTask;
        await Task.WhenAll(State.PendingCounts.Select(owed => GrainFactory.ProvinceCounter(owed.ProvinceCode, owed.Change.PersonalIdNumber).ApplyAsync(owed.Change)));
        await projecting;

        // Done. The durable sign of it is the cleared mark (group-committed with other citizens' clears), not another
        // write of this state: storage keeps saying "pending" until the next change or deactivation writes the state,
        // and an activation that reads it runs the effects again, which provinces and the read model ignore as repeats.
        // That saves one PostgreSQL write per change: relocations on three silos went from 751/s to 940/s (README, figures).
        state.State = State with { PendingCounts = [], ProjectionPending = false };
        _doneNotStored = true;
        if (!State.HasUnfinishedWork)
        {
            ClearMark();
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_doneNotStored)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
#pragma warning disable CA1031 // Best effort: the stored state only repeats effects already done on its next activation.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogDoneNotStored(logger, exception, this.GetPrimaryKeyString());
            }
        }
    }

    // Not awaited: a mark left behind only makes the sweep wake this person once for nothing.
    private void ClearMark() => unfinished.ClearAsync(Number, State.Version).ContinueWith(
        static (task, logger) => LogClearFailed((ILogger)logger!, task.Exception!),
        logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private void EnsureAddressedTo(ResidentRecord record)
    {
        if (record.PersonalIdNumber != Number)
        {
            throw new ArgumentException($"Record for {record.PersonalIdNumber} sent to citizen {Number}.", nameof(record));
        }
    }

    private ChangeRefused NotFound() =>
        new(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.", [new FieldError("personalIdNumber", $"{Number} is not in the registry.")]));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Clearing a citizen's unfinished-work mark failed; the sweep will wake it once for nothing")]
    private static partial void LogClearFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing that citizen {PersonalIdNumber}'s effects are done failed on deactivation; the next activation repeats them")]
    private static partial void LogDoneNotStored(ILogger logger, Exception exception, string personalIdNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finishing the stored change of citizen {PersonalIdNumber} failed; it stays pending")]
    private static partial void LogEffectsDeferred(ILogger logger, Exception exception, string personalIdNumber);
}
