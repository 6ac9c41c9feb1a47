using Orleans.Concurrency;

namespace Registry.Contracts.Cards;

/// <summary>
/// One identity card, keyed by its document number: its state and transitions. Only the holder's citizen grain changes
/// it (it decides whether a step may happen for the person); the card refuses any step its state machine does not allow.
/// </summary>
public interface IIdentityCardGrain : IGrainWithStringKey
{
    /// <summary>Records the application; repeating it with the same card is harmless.</summary>
    /// <returns>The card held; a different card already under this number is returned unchanged.</returns>
    Task<IdentityCard> CreateAsync(IdentityCard applied);

    /// <summary>Applies a step, or replays it when its operation id is already a step of the card.</summary>
    Task<CardOutcome> TransitionAsync(CardTransition transition);

    /// <summary>The card as stored (an issued card past its expiry still says issued; judge it with <c>CardLifecycle.StateOn</c>), or null when none.</summary>
    [ReadOnly]
    Task<IdentityCard?> GetAsync();
}

/// <summary>
/// Hands out the document numbers of one province: a keyed permutation of 000000–999999 walked by a cursor per series
/// letter, like personal ID numbers (<see cref="Identity.IIdNumberAllocatorGrain"/>). Keyed by the 3-digit province code.
/// </summary>
public interface ICardNumberAllocatorGrain : IGrainWithStringKey
{
    /// <summary>The next unused document number of this province.</summary>
    Task<DocumentNumber> AllocateAsync();
}
