using Registry.Database.Residents;

namespace Registry.Unit.Tests.ReadModel;

/// <summary>The range of name keys that start with a prefix, as PostgreSQL's "C" collation orders them.</summary>
public sealed class NameKeyRangeTests
{
    /// <summary>The upper bound is the prefix with its last code point incremented; wildcards are plain characters.</summary>
    [Theory]
    [InlineData("nguyen van a", "nguyen van b")]
    [InlineData("ng", "nh")]
    [InlineData("le ", "le!")]
    [InlineData("a%", "a&")]
    [InlineData("a_", "a`")]
    [InlineData("a\\", "a]")]
    [InlineData("z", "{")]
    public void The_range_ends_before_the_successor(string prefix, string before) =>
        Assert.Equal(new NameKeyRange(prefix, before), NameKeyRange.StartingWith(prefix));

    /// <summary>After U+D7FF comes U+E000: surrogate code points are not characters and never occur in a key.</summary>
    [Fact]
    public void The_successor_skips_the_surrogate_range() =>
        Assert.Equal("k\uE000", NameKeyRange.StartingWith("k\uD7FF").Before);

    /// <summary>Characters outside the BMP are incremented as code points, not as UTF-16 halves.</summary>
    [Fact]
    public void Supplementary_characters_are_incremented_whole() =>
        Assert.Equal("k\U0001F601", NameKeyRange.StartingWith("k\U0001F600").Before);

    /// <summary>The highest code point has no successor: the bound comes from the character before it, or there is none.</summary>
    [Theory]
    [InlineData("k\U0010FFFF", "l")]
    [InlineData("k\U0010FFFF\U0010FFFF", "l")]
    [InlineData("\U0010FFFF", null)]
    public void The_highest_code_point_has_no_successor(string prefix, string? before) =>
        Assert.Equal(before, NameKeyRange.StartingWith(prefix).Before);
}
