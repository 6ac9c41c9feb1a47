using System.Text.Json;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>
/// The filter of operation ids older than a citizen's tail: every key added is recognised (a replay is never taken for a
/// new request), nearly every new key is told apart without a database read, and its size grows by two bytes a key.
/// </summary>
public sealed class EarlierOperationsTests
{
    /// <summary>Every key added is held, however many there are: a "no" is never wrong.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    [InlineData(1_000)]
    public void Every_key_added_is_held(int count)
    {
        var filter = Fill(count);

        Assert.Equal(count, filter.Count);
        Assert.All(Keys(count), key => Assert.True(filter.MayHold(key), key));
    }

    /// <summary>Keys never added are told apart: a wrong "maybe" (one indexed read) for under 1 in 100.</summary>
    [Theory]
    [InlineData(16)]
    [InlineData(50)]
    [InlineData(200)]
    [InlineData(1_000)]
    public void Keys_never_added_are_rarely_taken_for_earlier_ones(int count)
    {
        var filter = Fill(count);

        var wrong = Enumerable.Range(0, 10_000).Count(i => filter.MayHold($"new-{i}"));

        Assert.True(wrong < 100, $"{wrong} of 10,000 new keys taken for earlier ones in a filter of {count}.");
    }

    /// <summary>No key is held by the empty filter.</summary>
    [Fact]
    public void The_empty_filter_holds_nothing() =>
        Assert.DoesNotContain(Keys(100), EarlierOperations.None.MayHold);

    /// <summary>The filter grows with the keys, by segments: 32 bytes for the first 16 keys, 96 for 48, 480 for 240.</summary>
    [Theory]
    [InlineData(1, 32)]
    [InlineData(16, 32)]
    [InlineData(17, 96)]
    [InlineData(48, 96)]
    [InlineData(240, 480)]
    public void The_filter_takes_two_bytes_per_key(int count, int bytes) =>
        Assert.Equal(bytes, Fill(count).Segments.Sum(segment => segment.Length));

    /// <summary>Adding a key leaves the filter it was added to as it was: stored states are values.</summary>
    [Fact]
    public void Adding_a_key_changes_no_earlier_filter()
    {
        var before = Fill(10);
        var copy = before.Segments.Select(segment => segment.ToArray()).ToArray();

        _ = before.With("another");

        Assert.Equal(copy, before.Segments);
        Assert.False(before.MayHold("another") && !Fill(10).MayHold("another"));
    }

    /// <summary>The filter read back from the grain state's JSON holds what it held.</summary>
    [Fact]
    public void The_filter_survives_the_stored_JSON()
    {
        var filter = Fill(40);

        var read = JsonSerializer.Deserialize<EarlierOperations>(JsonSerializer.Serialize(filter, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal(filter.Count, read.Count);
        Assert.Equal(filter.Segments, read.Segments);
        Assert.All(Keys(40), key => Assert.True(read.MayHold(key)));
    }

    private static string[] Keys(int count) => [.. Enumerable.Range(0, count).Select(i => $"move-{i:D4}-{i * 7919 % 1000}")];

    private static EarlierOperations Fill(int count) => Keys(count).Aggregate(EarlierOperations.None, (filter, key) => filter.With(key));
}
