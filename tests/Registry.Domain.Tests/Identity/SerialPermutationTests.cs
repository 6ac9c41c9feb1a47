using Registry.Contracts.Identity;
using Registry.Domain.Identity;

namespace Registry.Domain.Tests.Identity;

/// <summary>The keyed permutation behind ID number serials.</summary>
public sealed class SerialPermutationTests
{
    /// <summary>Walking every index yields every serial 000000–999999 exactly once: uniqueness by construction.</summary>
    [Fact]
    public void Every_serial_appears_exactly_once_over_the_whole_domain()
    {
        var permutation = new SerialPermutation(SerialPermutation.NewKey());
        var seen = new bool[PersonalIdNumber.SerialsPerPrefix];

        for (var index = 0; index < PersonalIdNumber.SerialsPerPrefix; index++)
        {
            var serial = permutation.Apply(index);
            Assert.False(seen[serial], $"Serial {serial} came twice.");
            seen[serial] = true;
        }

        Assert.All(seen, Assert.True);
    }

    /// <summary>The same key gives the same order; another key gives another order, so serials are not guessable.</summary>
    [Fact]
    public void The_order_depends_on_the_key_only()
    {
        var key = SerialPermutation.NewKey();
        var first = Enumerable.Range(0, 1000).Select(new SerialPermutation(key).Apply).ToArray();
        var again = Enumerable.Range(0, 1000).Select(new SerialPermutation(key).Apply).ToArray();
        var other = Enumerable.Range(0, 1000).Select(new SerialPermutation(SerialPermutation.NewKey()).Apply).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    /// <summary>Consecutive indexes do not give consecutive serials.</summary>
    [Fact]
    public void Consecutive_indexes_look_random()
    {
        var permutation = new SerialPermutation(SerialPermutation.NewKey());
        var serials = Enumerable.Range(0, 1000).Select(permutation.Apply).ToArray();

        var ascendingSteps = serials.Zip(serials.Skip(1)).Count(pair => pair.Second == pair.First + 1);
        Assert.True(ascendingSteps < 10, $"{ascendingSteps} of 999 steps were +1.");
    }

    /// <summary>A key of the wrong length and an index outside the domain are refused.</summary>
    [Fact]
    public void Bad_keys_and_indexes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SerialPermutation(new byte[16]));
        var permutation = new SerialPermutation(SerialPermutation.NewKey());
        Assert.Throws<ArgumentOutOfRangeException>(() => permutation.Apply(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => permutation.Apply(PersonalIdNumber.SerialsPerPrefix));
    }
}
