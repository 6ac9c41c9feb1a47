using Registry.Contracts.Cards;
using Registry.Domain.Identity;

namespace Registry.Grains.Cards;

/// <summary>Stored state of a province's document number allocator: O(1) whatever the number of cards.</summary>
/// <param name="PermutationKey">Chosen at random on first use and never changed: a new key would reorder serials and repeat some.</param>
/// <param name="Series">The index in <see cref="DocumentNumber.SeriesLetters"/> of the series being walked.</param>
/// <param name="LeasedUpTo">Every cursor position of the series below this may have been handed out.</param>
public sealed record CardNumberAllocatorState(byte[]? PermutationKey, int Series, int LeasedUpTo)
{
    /// <summary>The state of an allocator that never ran.</summary>
    public CardNumberAllocatorState() : this(null, 0, 0)
    {
    }
}

/// <summary>
/// Walks a keyed permutation of 000000–999999 (<see cref="SerialPermutation"/>) per series letter for one province, as
/// personal ID numbers are allocated (<c>IdNumberAllocatorGrain</c>): the cursor is leased <see cref="LeaseSize"/> at a
/// time, the end of the lease stored before any of it is handed out, so a crash skips the rest of a lease (a gap, never a
/// duplicate), and a second activation fails its lease on the storage version check. A series used up moves to the next
/// letter. One grain per province, so applications of different provinces never wait for each other.
/// </summary>
public sealed class CardNumberAllocatorGrain(
    [PersistentState(RegistryStorage.CardNumberAllocatorState, RegistryStorage.Name)] IPersistentState<CardNumberAllocatorState> state)
    : Grain, ICardNumberAllocatorGrain
{
    /// <summary>Cursor positions leased per storage write.</summary>
    public const int LeaseSize = 100;

    private const string KeyPrefix = "card-numbers:";

    private string _province = "";
    private SerialPermutation _permutation = null!;
    private byte[] _permutationKey = [];
    private int _series;
    private int _cursor;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _province = key.StartsWith(KeyPrefix, StringComparison.Ordinal) ? key[KeyPrefix.Length..] : throw new ArgumentException($"'{key}' is not a card number allocator's key.");
        _permutationKey = state.State.PermutationKey ?? SerialPermutation.NewKey();
        _permutation = new SerialPermutation(_permutationKey);
        (_series, _cursor) = (state.State.Series, state.State.LeasedUpTo);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<DocumentNumber> AllocateAsync()
    {
        if (_cursor == DocumentNumber.SerialsPerSeries)
        {
            (_series, _cursor) = (_series + 1, 0);
        }

        if (_series != state.State.Series || _cursor == state.State.LeasedUpTo)
        {
            if (_series >= DocumentNumber.SeriesLetters.Length)
            {
                throw new InvalidOperationException($"Every document number series of province {_province} is used.");
            }

            // A lease not known to be durable is never handed out: the activation starts over from what storage holds.
            await state.StoreOrReloadAsync(this, new CardNumberAllocatorState(_permutationKey, _series, Math.Min(_cursor + LeaseSize, DocumentNumber.SerialsPerSeries)));
        }

        return DocumentNumber.Create(_series, _province, _permutation.Apply(_cursor++));
    }
}
