using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Grains.Residents;

/// <summary>Stored state of a household's move: the request, and its outcome once there is one.</summary>
public sealed record HouseholdRelocationState
{
    /// <summary>The request; null while none was made under this key.</summary>
    public RelocateHousehold? Command { get; init; }

    /// <summary>The outcome; null while the members are being moved.</summary>
    public HouseholdOutcome? Outcome { get; init; }
}

/// <summary>
/// A household's move (see <see cref="IHouseholdRelocationGrain"/>). Every member's move has its own relocation id
/// derived from the request's key, so a request repeated after a crash moves nobody twice and finds where it stopped.
/// </summary>
public sealed class HouseholdRelocationGrain(
    [PersistentState(RegistryStorage.HouseholdRelocationState, RegistryStorage.Name)] IPersistentState<HouseholdRelocationState> state)
    : Grain, IHouseholdRelocationGrain
{
    /// <inheritdoc />
    public async Task<HouseholdOutcome> RelocateAsync(RelocateHousehold command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (state.State.Command is { } earlier)
        {
            if (earlier != command)
            {
                return new HouseholdInvalid(RefusalKind.Conflict, [new FieldError("householdRelocationId",
                    $"'{command.HouseholdRelocationId}' belongs to an earlier household move with other content. Use a new key for a new request.")]);
            }

            return state.State.Outcome is HouseholdMoved moved ? moved with { Replayed = true } : state.State.Outcome ?? await MoveAllAsync(command);
        }

        if (Check(command) is { } invalid)
        {
            return invalid;
        }

        // Everyone is checked before anything is stored: a household with a member who cannot move changes nothing.
        var checks = await Task.WhenAll(command.Members.Select(member => GrainFactory.Citizen(member).CheckRelocationAsync(Move(command, member))));
        if (checks.Any(check => check is ChangeRefused))
        {
            return new HouseholdRefused([.. command.Members.Select((member, i) => new HouseholdMemberResult(member, checks[i] as ChangeRefused, MovedBack: false))]);
        }

        state.State = new HouseholdRelocationState { Command = command };
        await state.WriteStateAsync();
        return await MoveAllAsync(command);
    }

    /// <inheritdoc />
    public Task<HouseholdOutcome?> GetOutcomeAsync() => Task.FromResult(state.State.Outcome);

    private async Task<HouseholdOutcome> MoveAllAsync(RelocateHousehold command)
    {
        var outcomes = await Task.WhenAll(command.Members.Select(member => GrainFactory.Citizen(member).RelocateAsync(Move(command, member))));
        HouseholdOutcome outcome;
        if (outcomes.All(result => result is Changed))
        {
            outcome = new HouseholdMoved([.. outcomes.Cast<Changed>().Select(changed => new ResidentView(changed.Resident, changed.Version))], Replayed: false);
        }
        else
        {
            // Somebody died or moved between the check and the move: the others go back, so the household moved whole or not at all.
            var movedBack = await Task.WhenAll(command.Members.Select(async (member, i) => outcomes[i] is Changed
                && await GrainFactory.Citizen(member).UndoRelocationAsync(command.RelocationIdOf(member), command.RelocationIdOf(member) + ":undo", command.Actor) is Changed));
            outcome = new HouseholdRefused([.. command.Members.Select((member, i) => new HouseholdMemberResult(member, outcomes[i] as ChangeRefused, movedBack[i]))]);
        }

        state.State = state.State with { Outcome = outcome };
        await state.WriteStateAsync();
        return outcome;
    }

    private static Relocate Move(RelocateHousehold command, PersonalIdNumber member) =>
        new(command.RelocationIdOf(member), command.Actor, command.Destination, command.MovedOn, ExpectedVersion: null);

    private static HouseholdInvalid? Check(RelocateHousehold command)
    {
        var errors = new FieldErrors();
        errors.Add("householdRelocationId", RegistrationRules.CheckIdempotencyKey(command.HouseholdRelocationId));
        errors.Add("members",
            command.Members is not { Length: > 0 and <= RelocateHousehold.MaxMembers } ? $"A household has 1 to {RelocateHousehold.MaxMembers} members."
            : command.Members.Distinct().Count() != command.Members.Length ? "A member is listed twice."
            : null);
        return errors.Any ? new HouseholdInvalid(RefusalKind.Invalid, errors.ToArray()) : null;
    }
}
