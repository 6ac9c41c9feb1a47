using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Grains.Residents;

/// <summary>Stored state of a registration request.</summary>
/// <param name="Request">The normalised command first received under this key.</param>
/// <param name="Resident">The record to create: its number is allocated once and kept for every retry.</param>
public sealed record RegistrationState(RegisterResident? Request, ResidentRecord? Resident)
{
    /// <summary>The state of a key never used.</summary>
    public RegistrationState() : this(null, null)
    {
    }
}

/// <summary>
/// Turns a registration request into a person, once per idempotency key: validate, allocate a number and
/// store it with the request (the intent), then have the citizen grain create the record. Every step after
/// the intent is idempotent, so a retry with the same key resumes where a failed attempt stopped.
/// </summary>
public sealed class RegistrationGrain(
    [PersistentState(RegistryStorage.RegistrationState, RegistryStorage.Name)] IPersistentState<RegistrationState> state,
    TimeProvider time)
    : Grain, IRegistrationGrain
{
    /// <inheritdoc />
    public async Task<RegistrationOutcome> RegisterAsync(RegisterResident command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (request, errors) = RegistrationRules.Check(command, VietnamCalendar.Today(time));
        if (request is null)
        {
            return new Rejected(errors);
        }

        if (RegistryGrains.RegistrationKey(request.IdempotencyKey) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The command's idempotency key does not match this grain's key.", nameof(command));
        }

        var replayed = state.State.Request is not null;
        if (replayed && state.State.Request != request)
        {
            return new IdempotencyKeyReused(request.IdempotencyKey);
        }

        if (state.State.Resident is null)
        {
            var prefix = IdNumberPrefix.For(request.BirthRegistrationProvince, request.Sex, request.BirthDate);
            var number = await GrainFactory.IdNumberAllocator(prefix).AllocateAsync();
            var resident = new ResidentRecord(
                number,
                request.FullName,
                request.BirthDate,
                request.Sex,
                request.BirthRegistrationProvince,
                // Until residence is modelled, a newly registered person lives where the birth was registered.
                PermanentResidenceProvince: request.BirthRegistrationProvince,
                RegisteredAt: time.GetUtcNow());

            // A crash before this write wastes the number (a gap); after it, every retry reuses it.
            state.State = new RegistrationState(request, resident);
            await state.WriteStateAsync();
        }

        var created = await GrainFactory.Citizen(state.State.Resident!.PersonalIdNumber).CreateAsync(state.State.Resident);
        return new Registered(created, replayed);
    }
}
