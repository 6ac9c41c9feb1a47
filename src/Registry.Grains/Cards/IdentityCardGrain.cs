using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Database.Cards;
using Registry.Database.Telemetry;
using Registry.Domain.Identity.Cards;

namespace Registry.Grains.Cards;

/// <summary>Stored state of a card.</summary>
public sealed record IdentityCardState
{
    /// <summary>The card; null while nothing was applied for under this number.</summary>
    public IdentityCard? Card { get; init; }

    /// <summary>True while the stored card is not yet known to be in the read model (its row and events).</summary>
    public bool ProjectionPending { get; init; }
}

/// <summary>
/// One identity card, keyed by its document number: loads, asks <see cref="CardLifecycle"/>, stores, then writes the read
/// model (<see cref="CardRegister"/>: the card's row and its events). The step is stored with the projection marked
/// pending first, so a projection cut short is finished by the next call or activation, and repeated harmlessly.
/// Only the holder's citizen grain calls it, and it calls nobody, so no call cycle can form.
/// </summary>
public sealed partial class IdentityCardGrain(
    [PersistentState(RegistryStorage.IdentityCardState, RegistryStorage.Name)] IPersistentState<IdentityCardState> state,
    CardRegister register,
    ILogger<IdentityCardGrain> logger)
    : Grain, IIdentityCardGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ProjectIfPendingAsync();
        }
        catch (Exception ex)
        {
            // Still pending in storage; the next call finishes it.
            LogProjectionDeferred(logger, ex, this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task<IdentityCard> CreateAsync(IdentityCard applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        if (state.State.Card is null)
        {
            await state.StoreOrReloadAsync(this, new IdentityCardState { Card = applied, ProjectionPending = true });
            RegistryMetrics.CardStepTaken(CardStepKind.Application);
        }

        await ProjectIfPendingAsync();
        return state.State.Card!;
    }

    /// <inheritdoc />
    public async Task<CardOutcome> TransitionAsync(CardTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (state.State.Card is not { } card)
        {
            return new CardRefused(new Refusal(RefusalKind.NotFound, "No card has this document number.",
                [new FieldError("documentNumber", $"{this.GetPrimaryKeyString()} names no card.")]));
        }

        var outcome = CardLifecycle.Decide(card, transition);
        if (outcome is CardChanged { Replayed: false } changed)
        {
            await state.StoreOrReloadAsync(this, new IdentityCardState { Card = changed.Card, ProjectionPending = true });
            RegistryMetrics.CardStepTaken(transition.Step);
        }

        await ProjectIfPendingAsync();
        return outcome;
    }

    /// <inheritdoc />
    public Task<IdentityCard?> GetAsync() => Task.FromResult(state.State.Card);

    // Done in memory only, as the citizen's effects: storage keeps saying pending until the next step writes the state,
    // and an activation that reads it projects again, which the read model ignores as a repeat. One write per step saved.
    private async Task ProjectIfPendingAsync()
    {
        if (state.State is { ProjectionPending: true, Card: { } card })
        {
            await register.ProjectAsync(card);
            state.State = state.State with { ProjectionPending = false };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projecting card {Key} failed; it stays pending")]
    private static partial void LogProjectionDeferred(ILogger logger, Exception exception, string key);
}
