using Registry.Contracts.Identity;
using Registry.Domain.Identity;

namespace Registry.Grains.Identity;

/// <summary>
/// Numbers drawn for the national bulk load from one prefix's allocator state, as its grain would hand them out: the
/// same keyed permutation, positions from its lease onwards. The state written back leases every drawn position, so no
/// allocator activated later hands one of them out again; a drawn number that is not used (its row refused, or somebody
/// already holds it) is a gap, as a lease lost in a crash is.
/// </summary>
public sealed class PrefixDraw
{
    private readonly SerialPermutation _permutation;
    private readonly byte[] _key;
    private int _cursor;

    /// <summary>A draw from <paramref name="stored"/> (null when the prefix's allocator never ran: a new key is made).</summary>
    public PrefixDraw(IdNumberPrefix prefix, AllocatorState? stored)
    {
        Prefix = prefix;
        _key = stored?.PermutationKey ?? SerialPermutation.NewKey();
        _permutation = new SerialPermutation(_key);
        _cursor = stored?.LeasedUpTo ?? 0;
    }

    /// <summary>The prefix.</summary>
    public IdNumberPrefix Prefix { get; }

    /// <summary>Up to <paramref name="count"/> more numbers of the prefix; fewer when it runs out.</summary>
    public IReadOnlyList<PersonalIdNumber> Take(int count)
    {
        var numbers = new List<PersonalIdNumber>(count);
        while (numbers.Count < count && _cursor < PersonalIdNumber.SerialsPerPrefix)
        {
            numbers.Add(PersonalIdNumber.Create(Prefix, _permutation.Apply(_cursor++)));
        }

        return numbers;
    }

    /// <summary>The allocator's state with every drawn position leased.</summary>
    public AllocatorState State => new(_key, _cursor);
}
