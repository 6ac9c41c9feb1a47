using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Domain.Access;

namespace Registry.Grains.Residents;

/// <summary>
/// The person's lock against partners (issue 11, part 6), stored with the person in the citizen's state: that state is
/// the one source of truth, so a partner's answer and the person's own view never disagree. Setting it changes neither
/// the record nor its version, so the read model and the province counts are not told.
/// </summary>
public sealed partial class CitizenGrain
{
    /// <inheritdoc />
    public Task<RecordLock?> SetLockAsync(RecordLock recordLock)
    {
        ArgumentNullException.ThrowIfNull(recordLock);
        return AtCurrentNumberAsync(successor => successor.SetLockAsync(recordLock), async () =>
        {
            if (State.Resident is null)
            {
                return null;
            }

            if (State.Lock != recordLock)
            {
                await StoreAsync(State with { Lock = recordLock });
            }

            return State.Lock;
        });
    }

    /// <inheritdoc />
    public Task<RecordLock?> GetLockAsync() =>
        AtCurrentNumberAsync(successor => successor.GetLockAsync(),
            () => Task.FromResult(State.Resident is null ? null : State.Lock), finishOwed: false);

    /// <inheritdoc />
    /// <remarks>An open window is judged by this grain's clock (<see cref="TimeProvider"/>), the one that stored it.</remarks>
    public Task<PartnerView> GetForPartnerAsync() =>
        AtCurrentNumberAsync(successor => successor.GetForPartnerAsync(), () => Task.FromResult(
            State.Resident is not { } resident ? PartnerView.Nobody
            : RecordLocks.ShutsOutPartners(State.Lock, time.GetUtcNow()) ? PartnerView.LockedOut
            : new PartnerView(resident, Locked: false)), finishOwed: false);

    // A renumbered person keeps their lock: the new number's grain gets it once it holds the record. Repeated with the
    // hand-over after a crash, it sets the same lock again.
    private async Task HandOverLockAsync(PersonalIdNumber target)
    {
        if (State.Lock != RecordLock.Never)
        {
            await GrainFactory.Citizen(target).SetLockAsync(State.Lock);
        }
    }
}
