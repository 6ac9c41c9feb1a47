using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// A person's numbers. A correction of birth date or sex that contradicts the number (Decree 137/2015: sex/century
/// and year digits) moves the person to a new number: the corrected record and the new number are stored first (the
/// intent), the new number's grain adopts the record with its history, then this number is marked superseded and
/// forwards every call to it (<see cref="AtCurrentNumberAsync"/>); the count moves from the old number's cell to the new.
/// </summary>
public sealed partial class CitizenGrain
{
    // A freshly allocated number is held by an imported person only by coincidence; more than a few in a row means a fault.
    private const int MaxAllocationAttempts = 10;

    /// <inheritdoc />
    public Task<NumberLineage?> GetNumbersAsync() =>
        AtCurrentNumberAsync(
            async successor => await successor.GetNumbersAsync() is { } lineage ? lineage with { Requested = Number } : null,
            () => Task.FromResult(State.Resident is { } resident ? new NumberLineage(Number, Number, [.. resident.PreviousNumbers]) : null),
            finishOwed: false);

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

    // The intent of a correction that needs a new number: the corrected record and the number it moves to, stored
    // before the new number's grain is told.
    private async Task<ChangeOutcome> RenumberAsync(Acceptance accepted)
    {
        var newNumber = await AllocateAsync(accepted.Updated);
        var correction = accepted.Entries[0];
        var renumbered = Renumbering.Entry(correction, correction.Actor, Number, newNumber, time.GetUtcNow());
        await StoreAsync(State with
        {
            Resident = accepted.Updated,
            Version = State.Version + 1,
            History = [.. State.History, .. accepted.Entries, renumbered],
            RenumberingTo = newNumber,
        });
        return new Changed(await FinishRenumberingAsync(), Replayed: false) { Version = 1 };
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
            var (moved, counts) = Renumbering.HandOver(State.Resident!, target);
            // The new number gets its own copy of the whole history (written to the table under it as it adopts): a
            // number's history is then whole under its own key, for readers and for replays of keys used before the
            // correction, and nobody follows superseded numbers back. Renumbering is rare, so the copy costs nothing at scale.
            if (await GrainFactory.Citizen(target).AdoptAsync(moved, await WholeHistoryAsync()))
            {
                await HandOverLockAsync(target);
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
}
