using Microsoft.Extensions.Logging;
using Registry.Contracts.Identity;
using Registry.Domain.Identity;

namespace Registry.Grains.Identity;

/// <summary>Stored state of an allocator: O(1) whatever the number of people in the prefix.</summary>
/// <param name="PermutationKey">Chosen at random on first use and never changed: a new key would reorder serials and repeat some.</param>
/// <param name="LeasedUpTo">Every cursor position below this may have been handed out.</param>
public sealed record AllocatorState(byte[]? PermutationKey, int LeasedUpTo)
{
    /// <summary>The state of an allocator that never ran.</summary>
    public AllocatorState() : this(null, 0)
    {
    }
}

/// <summary>
/// Walks the keyed permutation of its prefix with a cursor. To avoid one database write per number it leases
/// <see cref="LeaseSize"/> cursor positions at a time, writing the end of the lease before handing any out. After
/// a crash the unused rest of a lease is skipped (a gap, never a duplicate); a graceful deactivation gives it back.
/// A second activation of the same prefix (possible briefly while membership changes) fails its lease write on
/// the storage version check, so two activations never hand out the same positions.
/// </summary>
public sealed partial class IdNumberAllocatorGrain(
    [PersistentState(RegistryStorage.AllocatorState, RegistryStorage.Name)] IPersistentState<AllocatorState> state,
    ILogger<IdNumberAllocatorGrain> logger)
    : Grain, IIdNumberAllocatorGrain
{
    /// <summary>Cursor positions leased per storage write.</summary>
    public const int LeaseSize = 100;

    private IdNumberPrefix _prefix;
    private byte[] _permutationKey = [];
    private SerialPermutation _permutation = null!;
    private int _cursor;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!IdNumberPrefix.TryParse(key, out _prefix))
        {
            throw new ArgumentException($"'{key}' is not an ID number prefix.");
        }

        // A new key is stored with the first lease; until then nothing has been handed out under it.
        _permutationKey = state.State.PermutationKey ?? SerialPermutation.NewKey();
        _permutation = new SerialPermutation(_permutationKey);
        _cursor = state.State.LeasedUpTo;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<PersonalIdNumber> AllocateAsync()
    {
        if (_cursor == state.State.LeasedUpTo)
        {
            await LeaseAsync();
        }

        return PersonalIdNumber.Create(_prefix, _permutation.Apply(_cursor++));
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_cursor >= state.State.LeasedUpTo || state.State.PermutationKey is null)
        {
            return;
        }

        var leased = state.State;
        state.State = leased with { LeasedUpTo = _cursor };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // Only a gap results: the positions stay leased and are skipped by the next activation.
            LogReturnFailed(logger, ex, _prefix.Value, _cursor, leased.LeasedUpTo);
            state.State = leased;
        }
    }

    private async Task LeaseAsync()
    {
        var current = state.State;
        if (current.LeasedUpTo >= PersonalIdNumber.SerialsPerPrefix)
        {
            throw new IdNumberPrefixExhaustedException(_prefix.Value);
        }

        try
        {
            // A lease not known to be durable is never handed out: the activation starts over from what storage holds.
            await state.StoreOrReloadAsync(this, new AllocatorState(
                _permutationKey,
                Math.Min(current.LeasedUpTo + LeaseSize, PersonalIdNumber.SerialsPerPrefix)));
        }
        catch (Exception ex)
        {
            LogLeaseFailed(logger, ex, _prefix.Value);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not lease ID numbers for prefix {Prefix}")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception, string prefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not give back positions {Cursor}–{LeasedUpTo} of prefix {Prefix}; they are skipped")]
    private static partial void LogReturnFailed(ILogger logger, Exception exception, string prefix, int cursor, int leasedUpTo);
}
