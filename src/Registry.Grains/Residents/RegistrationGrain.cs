using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Residents;
using Registry.Domain;

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
/// Turns a registration request into a person, once per idempotency key: validate, check links and duplicate
/// candidates, take a number (allocated, or the one issued before the registry) and store it with the request
/// (the intent), then have the citizen grain create the record. Every step after the intent is idempotent, so a
/// retry with the same key resumes where a failed attempt stopped.
/// </summary>
public sealed class RegistrationGrain(
    [PersistentState(RegistryStorage.RegistrationState, RegistryStorage.Name)] IPersistentState<RegistrationState> state,
    ResidentDirectory directory,
    TimeProvider time)
    : Grain, IRegistrationGrain
{
    // A freshly allocated number is held by an imported person only by coincidence; more than a few in a row means a fault.
    private const int MaxAllocationAttempts = 10;

    /// <inheritdoc />
    public async Task<RegistrationOutcome> RegisterAsync(RegisterResident command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (request, errors) = RegistrationRules.Check(command, VietnamCalendar.Today(time));
        if (request is null)
        {
            return new RegistrationRefused(Refusal.Invalid(errors));
        }

        if (RegistryGrains.RegistrationKey(request.IdempotencyKey) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The command's idempotency key does not match this grain's key.", nameof(command));
        }

        if (RegistrationRules.CheckRegistrar(request.Actor!, request.BirthRegistrationProvince) is { } forbidden)
        {
            return new RegistrationRefused(new Refusal(RefusalKind.Forbidden, "You may not register this person; nothing was changed.", [new FieldError("actor", forbidden)]));
        }

        var replayed = state.State.Request is not null;
        if (replayed && state.State.Request != request)
        {
            return new RegistrationRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a different request; nothing was changed.",
                [new FieldError("idempotencyKey", $"Key '{request.IdempotencyKey}' belongs to an earlier registration with other details. Use a new key for a new request.")]));
        }

        if (state.State.Resident is null)
        {
            if (await MissingLinksAsync(request) is { } missing)
            {
                return missing;
            }

            if (request.IssuedNumber is { } issued && await GrainFactory.Citizen(issued).GetAsync() is not null)
            {
                return NumberTaken(issued);
            }

            // Advisory, from the read model: two identical registrations racing each other both pass; the check is
            // for the common case of a desk registering someone already registered elsewhere.
            if (!request.ConfirmedNotDuplicate
                && await directory.FindDuplicateCandidatesAsync(request.FullName, request.BirthDate, request.BirthRegistrationProvince) is { Length: > 0 } candidates)
            {
                return new DuplicateCandidatesFound(candidates);
            }

            // A crash before this write wastes an allocated number (a gap); after it, every retry reuses it.
            await StoreIntentAsync(request, request.IssuedNumber ?? await AllocateAsync(request));
        }

        for (var attempt = 1; ; attempt++)
        {
            var resident = state.State.Resident!;
            var registration = RegistrationRules.FirstEntry(request, resident);
            if (await GrainFactory.Citizen(resident.PersonalIdNumber).CreateAsync(resident, registration))
            {
                return new Registered(resident, replayed);
            }

            if (request.IssuedNumber is not null)
            {
                // Taken between the check above and now; the stored intent keeps answering so for this key.
                return NumberTaken(resident.PersonalIdNumber);
            }

            // The allocated number belongs to a person imported with a number issued before the registry.
            if (attempt == MaxAllocationAttempts)
            {
                throw new InvalidOperationException($"{MaxAllocationAttempts} numbers allocated for registration {request.IdempotencyKey} were all held by other people.");
            }

            await StoreIntentAsync(request, await AllocateAsync(request));
        }
    }

    private async Task<RegistrationRefused?> MissingLinksAsync(RegisterResident request) =>
        await LinkedPeople.CheckAsync(directory, request.Family.Declared()) is { Length: > 0 } errors ? new RegistrationRefused(Refusal.Invalid(errors)) : null;

    private static RegistrationRefused NumberTaken(PersonalIdNumber number) =>
        new(new Refusal(RefusalKind.Conflict, "The issued number already belongs to a person in the registry; nothing was changed.",
            [new FieldError("issuedNumber", RegistrationRules.IssuedNumberTaken(number))]));

    private Task<PersonalIdNumber> AllocateAsync(RegisterResident request) =>
        GrainFactory.IdNumberAllocator(IdNumberPrefix.For(request.BirthRegistrationProvince, request.Sex, request.BirthDate)).AllocateAsync();

    private async Task StoreIntentAsync(RegisterResident request, PersonalIdNumber number)
    {
        // A newly registered person lives where the birth was registered, in the unit that province belongs to now:
        // the number keeps an absorbed province's code (Decree 137/2015), the address takes the surviving one.
        var resident = RegistrationRules.NewRecord(request, number,
            state.State.Resident?.PermanentResidenceProvince ?? await GrainFactory.Province(request.BirthRegistrationProvince).CurrentCodeAsync(),
            state.State.Resident?.RegisteredAt ?? time.GetUtcNow());
        // Only a stored intent may be acted on: a retry acting on an unstored one would, after a reactivation, allocate
        // a second number for the same person.
        await state.StoreOrReloadAsync(this, new RegistrationState(request, resident));
    }
}
