using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>A covert access stays out of the person's log until released or until its hiding period has passed; its note never shows.</summary>
public sealed class CovertDisclosureTests
{
    private static readonly DateTimeOffset AccessedAt = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    /// <summary>The cases: days after the access it is asked, days after the access it was released (null: never), whether it shows.</summary>
    [Theory]
    [InlineData(1, null, false)]
    [InlineData(364, null, false)]
    [InlineData(365, null, true)]
    [InlineData(400, null, true)]
    [InlineData(10, 5, true)]
    [InlineData(10, 0, true)]
    [InlineData(10, 20, false)]
    [InlineData(10, -1, false)]
    public void A_covert_access_shows_once_released_or_once_its_period_passed(int askedAfterDays, int? releasedAfterDays, bool shown)
    {
        var releasedAt = releasedAfterDays is { } days ? AccessedAt.AddDays(days) : (DateTimeOffset?)null;

        Assert.Equal(shown, CovertDisclosure.IsShown(AccessPurposes.CovertInvestigation, AccessedAt, releasedAt, AccessedAt.AddDays(askedAfterDays), Year));
    }

    /// <summary>An access under a purpose that is not covert, or under none, shows at once.</summary>
    [Fact]
    public void An_open_access_shows_at_once()
    {
        Assert.True(CovertDisclosure.IsShown(AccessPurposes.LawEnforcement, AccessedAt, null, AccessedAt, Year));
        Assert.True(CovertDisclosure.IsShown(null, AccessedAt, null, AccessedAt, Year));
    }

    /// <summary>The bound the log's query compares with is the same rule: shown without release exactly when accessed at or before it.</summary>
    [Theory]
    [InlineData(364)]
    [InlineData(365)]
    [InlineData(366)]
    public void The_query_bound_agrees_with_the_rule(int askedAfterDays)
    {
        var now = AccessedAt.AddDays(askedAfterDays);

        Assert.Equal(
            CovertDisclosure.IsShown(AccessPurposes.CovertInvestigation, AccessedAt, null, now, Year),
            AccessedAt <= CovertDisclosure.ShownWithoutReleaseUpTo(now, Year));
    }

    /// <summary>The note of a covert access is never shown, that of any other is.</summary>
    [Fact]
    public void Only_a_covert_access_hides_its_note()
    {
        Assert.False(CovertDisclosure.ShowsNote(AccessPurposes.CovertInvestigation));
        Assert.True(CovertDisclosure.ShowsNote(AccessPurposes.LawEnforcement));
        Assert.True(CovertDisclosure.ShowsNote(null));
    }
}
