using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.ReadModel.Residents;

namespace Registry.Grains.Residents;

/// <summary>One person, keyed by their personal ID number; the source of truth for their record and its history.</summary>
public sealed partial class CitizenGrain(
    [PersistentState(RegistryStorage.CitizenState, RegistryStorage.Name)] IPersistentState<CitizenState> state,
    ResidentProjection projection,
    TimeProvider time,
    ILogger<CitizenGrain> logger)
    : Grain, ICitizenGrain
{
    // A freshly allocated number is held by an imported person only by coincidence; more than a few in a row means a fault.
    private const int MaxAllocationAttempts = 10;

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
            var count = new ResidentCountChange($"registration:{record.PersonalIdNumber}", record.PersonalIdNumber, +1, ResidentCountReason.Registration);
            await StoreAsync(new CitizenState { Resident = record, Version = 1, History = [registration], PendingCounts = [count], ProjectionPending = true });
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

        if (Replay(command.AmendmentId, "amendmentId", entries => Amendments.IsReplayOf(command, entries)) is { } replay)
        {
            return replay;
        }

        var decision = Amendments.Decide(command, resident, VietnamCalendar.Today(time), time.GetUtcNow());
        if (decision is Refusal refusal)
        {
            return refusal.Outcome;
        }

        var accepted = (Acceptance)decision;
        if (await MissingLinksAsync(accepted.NewLinks) is { } missing)
        {
            return missing;
        }

        if (!accepted.NeedsNewNumber)
        {
            await StoreChangeAsync(accepted.Updated, accepted.Entries, []);
            await RunPendingEffectsAsync();
            return new Changed(accepted.Updated, Replayed: false);
        }

        var newNumber = await AllocateAsync(accepted.Updated);
        var renumbered = new ResidentChange(command.AmendmentId, ResidentChangeKind.NumberChange, time.GetUtcNow(), command.Actor,
            ResidentFields.PersonalIdNumber, Number.Value, newNumber.Value, accepted.Entries[0].Reason, accepted.Entries[0].DocumentReference);
        // The intent: the corrected record and the number it moves to, stored before the new number's grain is told.
        await StoreAsync(State with
        {
            Resident = accepted.Updated,
            Version = State.Version + 1,
            History = [.. State.History, .. accepted.Entries, renumbered],
            RenumberingTo = newNumber,
        });
        return new Changed(await FinishRenumberingAsync(), Replayed: false);
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

        if (Replay(command.OperationId, "operationId", entries => Amendments.IsReplayOf(command, entries)) is { } replay)
        {
            return replay;
        }

        var decision = Amendments.Decide(command, resident, VietnamCalendar.Today(time), time.GetUtcNow());
        if (decision is Refusal refusal)
        {
            return refusal.Outcome;
        }

        var accepted = (Acceptance)decision;
        var count = new ResidentCountChange($"death:{resident.PersonalIdNumber}", resident.PersonalIdNumber, -1, ResidentCountReason.Death);
        await StoreChangeAsync(accepted.Updated, accepted.Entries, [count]);
        await RunPendingEffectsAsync();
        return new Changed(accepted.Updated, Replayed: false);
    }

    // The number calls must go to: this one's successor once renumbering is finished (or is finished now).
    private async Task<PersonalIdNumber?> CurrentHolderAsync()
    {
        if (State.RenumberingTo is not null)
        {
            await FinishRenumberingAsync();
        }

        return State.SupersededBy;
    }

    private ChangeOutcome? Replay(string operationId, string field, Func<IEnumerable<ResidentChange>, bool> isReplay)
    {
        var done = State.History.Where(entry => entry.OperationId == operationId && entry.Kind != ResidentChangeKind.NumberChange).ToArray();
        if (done.Length == 0)
        {
            return null;
        }

        return isReplay(done)
            ? new Changed(State.Resident!, Replayed: true)
            : new ChangeRefused(RefusalKind.Conflict, "This id was already used for a different change; nothing was changed.",
                [new FieldError(field, $"'{operationId}' belongs to an earlier change with other content. Use a new id for a new change.")]);
    }

    private async Task<ChangeRefused?> MissingLinksAsync(IEnumerable<(string Field, PersonalIdNumber Number)> links)
    {
        var errors = new FieldErrors();
        foreach (var (field, number) in links)
        {
            errors.Add(field, await GrainFactory.Citizen(number).GetAsync() is null ? $"No person holds the personal ID number {number}." : null);
        }

        return errors.Any ? new ChangeRefused(RefusalKind.Invalid, "A linked person is not in the registry; nothing was changed.", errors.ToArray()) : null;
    }

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
            var moved = State.Resident! with { PersonalIdNumber = target, PreviousNumbers = [.. State.Resident!.PreviousNumbers, Number] };
            if (await GrainFactory.Citizen(target).AdoptAsync(moved, [.. State.History]))
            {
                await StoreAsync(State with { SupersededBy = target, RenumberingTo = null, Version = State.Version + 1, ProjectionPending = true });
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

    private Task StoreChangeAsync(ResidentRecord updated, ResidentChange[] entries, ResidentCountChange[] counts) =>
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
        state.State = next.Version != State.Version ? next with { ChangedAt = time.GetUtcNow() } : next;
        await state.WriteStateAsync();
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
        foreach (var change in State.PendingCounts)
        {
            await GrainFactory.Province(resident.PermanentResidenceProvince).ApplyResidentChangeAsync(change);
        }

        await projecting;
        await StoreAsync(State with { PendingCounts = [], ProjectionPending = false });
    }

    private void EnsureAddressedTo(ResidentRecord record)
    {
        if (record.PersonalIdNumber != Number)
        {
            throw new ArgumentException($"Record for {record.PersonalIdNumber} sent to citizen {Number}.", nameof(record));
        }
    }

    private ChangeRefused NotFound() =>
        new(RefusalKind.NotFound, "No person holds this personal ID number.", [new FieldError("personalIdNumber", $"{Number} is not in the registry.")]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finishing the stored change of citizen {PersonalIdNumber} failed; it stays pending")]
    private static partial void LogEffectsDeferred(ILogger logger, Exception exception, string personalIdNumber);
}
