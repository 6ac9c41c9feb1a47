using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// A card's expiry by Law 26/2023 Art. 21 (renewal at 14, 25, 40 and 60; issued within 2 years before one of them, valid
/// until the next; issued at 60 or later, no expiry), pre-2024 cards keeping their printed expiry, and 29 February.
/// </summary>
public sealed class CardExpiryTests
{
    /// <summary>Every milestone, both edges of every 2-year window, 60 and later.</summary>
    [Theory]
    // Below 14 (a child's card, through a parent): valid until 14, unless within 2 years before it.
    [InlineData("2010-03-15", "2015-06-01", "2024-03-15")]
    [InlineData("2010-03-15", "2022-03-14", "2024-03-15")]
    [InlineData("2010-03-15", "2022-03-15", "2035-03-15")]
    // From 14: until 25; the window before 25 opens exactly 2 years before the birthday.
    [InlineData("2000-01-01", "2014-01-01", "2025-01-01")]
    [InlineData("2000-01-01", "2022-12-31", "2025-01-01")]
    [InlineData("2000-01-01", "2023-01-01", "2040-01-01")]
    [InlineData("2000-01-01", "2024-12-31", "2040-01-01")]
    // Issued on the 25th birthday: the next milestone is 40.
    [InlineData("2000-01-01", "2025-01-01", "2040-01-01")]
    // Until 40, and the window before 40.
    [InlineData("1986-07-20", "2024-07-19", "2026-07-20")]
    [InlineData("1986-07-20", "2024-07-20", "2046-07-20")]
    // Until 60, and the window before 60: a card issued at 58 does not expire.
    [InlineData("1970-09-09", "2026-09-08", "2030-09-09")]
    [InlineData("1970-09-09", "2028-09-09", null)]
    [InlineData("1964-09-09", "2024-09-09", null)]
    [InlineData("1940-09-09", "2025-01-01", null)]
    public void A_card_runs_to_the_next_milestone_after_its_window(string birth, string issued, string? expires) =>
        Assert.Equal(expires is null ? null : DateOnly.Parse(expires, System.Globalization.CultureInfo.InvariantCulture),
            CardExpiry.ExpiresOn(D(birth), D(issued)));

    /// <summary>Born on 29 February: the birthday is 28 February in a year without one, and the window counts from it.</summary>
    [Theory]
    [InlineData("2004-02-29", "2024-07-01", "2029-02-28")]
    [InlineData("2004-02-29", "2027-02-27", "2029-02-28")]
    [InlineData("2004-02-29", "2027-02-28", "2044-02-29")]
    [InlineData("2000-02-29", "2014-03-01", "2025-02-28")]
    [InlineData("2000-02-29", "2024-07-01", "2040-02-29")]
    public void A_29_February_birthday_falls_on_28_February_in_other_years(string birth, string issued, string expires) =>
        Assert.Equal(D(expires), CardExpiry.ExpiresOn(D(birth), D(issued)));

    /// <summary>Chip cards issued before 1 July 2024 keep the printed expiry, also none; from that day the law computes it.</summary>
    [Theory]
    [InlineData("1990-05-17", "2021-04-01", "2030-05-17", "2030-05-17")]
    [InlineData("1960-05-17", "2021-04-01", null, null)]
    [InlineData("1990-05-17", "2024-06-30", "2030-05-17", "2030-05-17")]
    [InlineData("1990-05-17", "2024-07-01", "2030-05-17", "2030-05-17")]
    [InlineData("2000-05-17", "2024-07-01", "2099-01-01", "2040-05-17")]
    public void Cards_from_before_the_law_keep_their_printed_expiry(string birth, string issued, string? printed, string? expires) =>
        Assert.Equal(expires is null ? null : D(expires), CardExpiry.ExpiresOn(D(birth), D(issued), printed is null ? null : D(printed)));

    /// <summary>A card is valid through its expiry date in Vietnam and expired from the next Vietnamese day (UTC+7).</summary>
    [Theory]
    [InlineData("2030-05-17T16:59:59Z", false)]
    [InlineData("2030-05-17T17:00:00Z", true)]
    [InlineData("2030-05-18T00:00:00+07:00", true)]
    [InlineData("2030-05-17T23:59:59+07:00", false)]
    public void Expired_is_judged_on_Vietnams_date(string now, bool expired)
    {
        Assert.Equal(expired, CardExpiry.HasExpired(D("2030-05-17"), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(CardExpiry.HasExpired(null, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>A card is never issued before its holder's birth.</summary>
    [Fact]
    public void A_card_before_the_birth_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CardExpiry.ExpiresOn(D("2000-01-01"), D("1999-12-31")));

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
