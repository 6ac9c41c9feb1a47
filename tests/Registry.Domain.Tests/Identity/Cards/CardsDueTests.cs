using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// The due lists' bounds and the daily sweep's rule: who is 14 by a day (29 February too), which expiry the sweep records
/// (a card stored as issued, current, past its last valid day on Vietnam's calendar) and that it is recorded once.
/// </summary>
public sealed class CardsDueTests
{
    private static readonly DateOnly LastValidDay = new(2026, 2, 28);

    // 2026-02-28 17:00 UTC is 1 March 00:00 in Vietnam: the first instant the card is expired.
    private static readonly DateTimeOffset FirstExpiredInstant = new(2026, 2, 28, 17, 0, 0, TimeSpan.Zero);

    /// <summary>Whoever is born on or before the bound is 14 on the day, and whoever is born the day after is not.</summary>
    [Theory]
    [InlineData("2026-12-07", "2012-12-07")]
    [InlineData("2026-03-01", "2012-03-01")]
    // A 29 February birthday counts on 28 February in a year without one (Civil Code 2015, Art. 148).
    [InlineData("2026-02-28", "2012-02-29")]
    [InlineData("2027-02-28", "2013-02-28")]
    [InlineData("2028-02-28", "2014-02-28")]
    [InlineData("2028-02-29", "2014-02-28")]
    [InlineData("2024-02-29", "2010-02-28")]
    public void The_latest_birth_date_of_a_14_year_old(string day, string latest)
    {
        var on = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var bound = CardsDue.LatestBirthDateAged(CardsDue.CompulsoryAge, on);

        Assert.Equal(DateOnly.Parse(latest, System.Globalization.CultureInfo.InvariantCulture), bound);
        Assert.True(CardExpiry.AgeOn(bound, on) >= 14);
        Assert.True(CardExpiry.AgeOn(bound.AddDays(1), on) < 14);
    }

    /// <summary>The sweep records the expiry of the current card stored as issued, from the day after its last valid day in Vietnam.</summary>
    [Fact]
    public void The_expiry_of_a_current_issued_card_past_its_last_day_is_recorded()
    {
        var card = CardLifecycleTests.Card(CardState.Issued, LastValidDay);
        var cards = new PersonCards { Current = card };

        Assert.Null(CardsDue.ExpiryToRecord(cards, card.DocumentNumber, FirstExpiredInstant.AddTicks(-1)));
        var expiry = CardsDue.ExpiryToRecord(cards, card.DocumentNumber, FirstExpiredInstant);

        Assert.NotNull(expiry);
        Assert.Equal((CardStepKind.Expiry, CardsDue.ExpiryOperationId(card.DocumentNumber), CardsDue.SweepActor), (expiry.Step, expiry.OperationId, expiry.Actor));
        var expired = Assert.IsType<CardChanged>(CardLifecycle.Decide(card, expiry)).Card;
        Assert.Equal(CardState.Expired, expired.State);
        Assert.Equal(CardStepKind.Expiry, expired.Steps[^1].Kind);
    }

    /// <summary>Nothing to record for a card renewed or replaced meanwhile, one lost, revoked or recorded already, one without expiry, or another number.</summary>
    [Theory]
    [InlineData(CardState.Revoked)]
    [InlineData(CardState.ReportedLost)]
    [InlineData(CardState.Expired)]
    public void No_expiry_is_recorded_for_a_card_no_longer_stored_as_issued(CardState state)
    {
        var card = CardLifecycleTests.Card(state, LastValidDay);

        Assert.Null(CardsDue.ExpiryToRecord(new PersonCards { Current = card }, card.DocumentNumber, FirstExpiredInstant.AddDays(30)));
    }

    /// <summary>A card that is not the person's current one (a renewal replaced it) or one that never expires is left alone.</summary>
    [Fact]
    public void No_expiry_is_recorded_for_a_replaced_card_or_one_for_life()
    {
        var old = CardLifecycleTests.Card(CardState.Issued, LastValidDay);
        var renewed = old with { DocumentNumber = DocumentNumber.Create(0, "079", 654_321), ExpiresOn = new DateOnly(2041, 5, 17) };
        var forLife = old with { ExpiresOn = null };

        Assert.Null(CardsDue.ExpiryToRecord(new PersonCards { Current = renewed }, old.DocumentNumber, FirstExpiredInstant.AddDays(30)));
        Assert.Null(CardsDue.ExpiryToRecord(PersonCards.None, old.DocumentNumber, FirstExpiredInstant.AddDays(30)));
        Assert.Null(CardsDue.ExpiryToRecord(new PersonCards { Current = forLife }, old.DocumentNumber, FirstExpiredInstant.AddYears(50)));
    }

    /// <summary>The expiry is a step of the machine: once from issued-and-past-expiry, a replay under its key, refused from any other state naming it.</summary>
    [Fact]
    public void An_expiry_is_recorded_once_and_refused_from_other_states()
    {
        var card = CardLifecycleTests.Card(CardState.Issued, LastValidDay);
        var expiry = CardsDue.ExpiryToRecord(new PersonCards { Current = card }, card.DocumentNumber, FirstExpiredInstant)!;
        var expired = Assert.IsType<CardChanged>(CardLifecycle.Decide(card, expiry)).Card;

        var again = Assert.IsType<CardChanged>(CardLifecycle.Decide(expired, expiry));
        Assert.True(again.Replayed);
        Assert.Same(expired, again.Card);

        var early = Assert.IsType<CardRefused>(CardLifecycle.Decide(card, expiry with { At = FirstExpiredInstant.AddTicks(-1) }));
        Assert.Contains("is issued", early.Refusal.Errors[0].Message, StringComparison.Ordinal);
        foreach (var state in new[] { CardState.Applied, CardState.Produced, CardState.ReportedLost, CardState.Revoked })
        {
            var refused = Assert.IsType<CardRefused>(CardLifecycle.Decide(CardLifecycleTests.Card(state, LastValidDay), expiry)).Refusal;
            Assert.Equal(RefusalKind.Conflict, refused.Kind);
            Assert.Contains($"is {CardLifecycle.NameOf(state)}; its expiry", refused.Errors[0].Message, StringComparison.Ordinal);
        }

        // A card recorded expired can still be reported lost (or revoked): the expiry closes nothing else.
        Assert.Equal(CardState.ReportedLost, Assert.IsType<CardChanged>(CardLifecycle.Decide(expired, expiry with { Step = CardStepKind.LossReport, OperationId = "lost" })).Card.State);
    }

    /// <summary>A page's position reads back as written; anything else is refused with a message.</summary>
    [Theory]
    [InlineData(CardDueList.FirstCard, "2012-03-04:079212345678", true)]
    [InlineData(CardDueList.Expiring, "2026-12-20:A79123456", true)]
    [InlineData(CardDueList.Expired, "2026-12-20:A79123456", true)]
    [InlineData(CardDueList.FirstCard, "2026-12-20:A79123456", false)]
    [InlineData(CardDueList.Expired, "2012-03-04:079212345678", false)]
    [InlineData(CardDueList.Expired, "2026-13-20:A79123456", false)]
    [InlineData(CardDueList.Expired, "A79123456", false)]
    [InlineData(CardDueList.Expired, "", false)]
    public void A_cursor_reads_back_as_written(CardDueList list, string text, bool valid)
    {
        Assert.Equal(valid, CardsDue.TryParseCursor(list, text, out var cursor, out var error));
        if (valid)
        {
            Assert.Equal(text, cursor!.ToString());
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    /// <summary>The window is 0 to 366 days.</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(30, true)]
    [InlineData(366, true)]
    [InlineData(367, false)]
    [InlineData(-1, false)]
    public void The_window_is_at_most_a_year(int within, bool valid) => Assert.Equal(valid, CardsDue.WithinError(within) is null);

    /// <summary>Every list has a wire name that reads back.</summary>
    [Fact]
    public void Every_list_has_a_wire_name() =>
        Assert.All(Enum.GetValues<CardDueList>(), list => Assert.Equal(list, CardsDue.ListNames[CardsDue.NameOf(list)]));
}
