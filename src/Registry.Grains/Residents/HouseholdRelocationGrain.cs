using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;
using Registry.Grains.Resumption;

namespace Registry.Grains.Residents;

/// <summary>Stored state of a household's move: the request, and its outcome once there is one.</summary>
/// <remarks>
/// The outcome is stored as one property per kind, not as a <see cref="HouseholdOutcome"/>: stored JSON names no types,
/// so the abstract outcome was written as <c>{}</c> and could not be read back, and a household grain that had answered
/// failed to activate again. A row stored that way still reads: <c>outcome</c> is no property any more and is skipped,
/// so the request reads as not yet answered, and the grain moves the members again under their own keys, which every
/// citizen answers from its history as a replay (and every undo likewise): the outcome is found again, not redone.
/// </remarks>
public sealed record HouseholdRelocationState
{
    /// <summary>The request; null while none was made under this key.</summary>
    public RelocateHousehold? Command { get; init; }

    /// <summary>The outcome when every member moved.</summary>
    public HouseholdMoved? Moved { get; init; }

    /// <summary>The outcome when the household could not move whole.</summary>
    public HouseholdRefused? Refused { get; init; }

    /// <summary>The outcome; null while the members are being moved.</summary>
    [JsonIgnore]
    public HouseholdOutcome? Outcome => (HouseholdOutcome?)Moved ?? Refused;

    /// <summary>This state, read for the request made with <paramref name="idempotencyKey"/>.</summary>
    /// <remarks>
    /// A row stored before the request's key was named <c>IdempotencyKey</c> everywhere holds it as
    /// <c>command.householdRelocationId</c>, which no longer binds, so its command reads with no key. The household
    /// grain is keyed by the request's key, so the key is given back from there on activation, and the next write stores
    /// it under its one name. Preferred to keeping the old JSON name on the contract (every new row would go on
    /// storing a name the code no longer has) and to a per-type alias table in the storage serializer (the history of
    /// one contract kept in the storage layer, for a value the grain already knows).
    /// </remarks>
    public HouseholdRelocationState KeyedBy(string idempotencyKey) =>
        Command is { IdempotencyKey: null } stored ? this with { Command = stored with { IdempotencyKey = idempotencyKey } } : this;

    /// <summary>This request answered with <paramref name="outcome"/>.</summary>
    public HouseholdRelocationState WithOutcome(HouseholdOutcome outcome) => outcome switch
    {
        HouseholdMoved moved => this with { Moved = moved, Refused = null },
        HouseholdRefused refused => this with { Moved = null, Refused = refused },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A stored household move ends moved or refused."),
    };
}

/// <summary>
/// A household's move (see <see cref="IHouseholdRelocationGrain"/>). Every member's move has its own idempotency key
/// derived from the request's key, so a request repeated after a crash moves nobody twice and finds where it stopped.
/// A reminder, registered before the request is stored and removed once its outcome is, finishes a move that a crash
/// or a failed member call interrupted even when nobody repeats the request: a household is never left half-moved.
/// </summary>
public sealed partial class HouseholdRelocationGrain(
    [PersistentState(RegistryStorage.HouseholdRelocationState, RegistryStorage.Name)] IPersistentState<HouseholdRelocationState> state,
    IOptions<UnfinishedWorkOptions> options,
    ILogger<HouseholdRelocationGrain> logger)
    : Grain, IHouseholdRelocationGrain, IRemindable
{
    private const string ReminderName = "finish";

    private IGrainReminder? _reminder;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State = state.State.KeyedBy(RegistryGrains.HouseholdRelocationKeyOf(this.GetPrimaryKeyString()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<HouseholdOutcome> RelocateAsync(RelocateHousehold command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (state.State.Command is { } earlier)
        {
            if (earlier != command)
            {
                return Households.KeyReused(command);
            }

            return state.State.Outcome is HouseholdMoved moved ? moved with { Replayed = true } : state.State.Outcome ?? await MoveAllAsync(command);
        }

        if (Households.Check(command) is { } invalid)
        {
            return invalid;
        }

        // Everyone is checked before anything is stored: a household with a member who cannot move changes nothing.
        var checks = await Task.WhenAll(command.Members.Select(member => GrainFactory.Citizen(member).CheckRelocationAsync(Households.MoveOf(command, member))));
        if (Households.RefusalOf(command, checks) is { } refused)
        {
            return refused;
        }

        // The reminder exists before the request is stored, so no stored request is ever without one.
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, options.Value.SweepPeriod, options.Value.SweepPeriod);
        await state.StoreOrReloadAsync(this, new HouseholdRelocationState { Command = command });
        return await MoveAllAsync(command);
    }

    /// <inheritdoc />
    public Task<HouseholdOutcome?> GetOutcomeAsync() => Task.FromResult(state.State.Outcome);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (state.State is { Command: { } command, Outcome: null })
        {
            await MoveAllAsync(command);
            return;
        }

        // Finished, or the request was never stored (a crash right after the reminder was registered).
        await ForgetReminderAsync();
    }

    private async Task<HouseholdOutcome> MoveAllAsync(RelocateHousehold command)
    {
        var outcomes = await Task.WhenAll(command.Members.Select(member => GrainFactory.Citizen(member).RelocateAsync(Households.MoveOf(command, member))));
        HouseholdOutcome outcome;
        if (Households.MovedWhole(outcomes) is { } moved)
        {
            outcome = moved;
        }
        else
        {
            // Somebody died or moved between the check and the move: the others go back, so the household moved whole or not at all.
            var movedBack = await Task.WhenAll(command.Members.Select(async (member, i) => Households.MustMoveBack(outcomes[i])
                && await GrainFactory.Citizen(member).UndoRelocationAsync(Households.MemberKeyOf(command, member), Households.MemberUndoKeyOf(command, member), command.Actor) is Changed));
            outcome = Households.Refused(command, outcomes, movedBack);
        }

        await state.StoreOrReloadAsync(this, state.State.WithOutcome(outcome));
        try
        {
            await ForgetReminderAsync();
        }
#pragma warning disable CA1031 // The outcome is stored: the caller gets it, and the reminder's next tick finds it and removes itself.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReminderKept(logger, exception, this.GetPrimaryKeyString());
        }

        return outcome;
    }

    private async Task ForgetReminderAsync()
    {
        // After a reactivation the handle is gone; the reminder service still has it.
        if ((_reminder ?? await this.GetReminder(ReminderName)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminder = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Household move {Key} is finished but its reminder could not be removed yet")]
    private static partial void LogReminderKept(ILogger logger, Exception exception, string key);
}
