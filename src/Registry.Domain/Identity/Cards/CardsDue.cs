using System.Globalization;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;

namespace Registry.Domain.Identity.Cards;

/// <summary>The lists of a province's cards due on a day (issue 12, part 6).</summary>
public enum CardDueList
{
    /// <summary>People who turn 14 on or before the window's last day and never had a card (compulsory from 14, Law 26/2023 Art. 19(1)).</summary>
    FirstCard = 0,

    /// <summary>Issued cards whose last valid day falls within the window: renewal at 14, 25, 40 or 60 (Art. 21(1)).</summary>
    Expiring = 1,

    /// <summary>Cards past their last valid day and not replaced: neither renewed nor revoked since.</summary>
    Expired = 2,
}

/// <summary>Where a page of a due list ends: the next page starts after it.</summary>
/// <param name="Day">The list's order: the birth date (first cards, youngest first) or the last valid day (cards, soonest first).</param>
/// <param name="Key">The personal ID number (first cards) or the document number (cards), which breaks ties.</param>
public sealed record CardDueCursor(DateOnly Day, string Key)
{
    /// <summary>The cursor as the API writes it, e.g. <c>2012-03-04:079212345678</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Day:yyyy-MM-dd}:{Key}");
}

/// <summary>
/// Who and which cards are due in a province on a day (Law on Identification 26/2023): a first card from 14 (Art. 19(1)), a
/// renewal at 14, 25, 40 and 60 (Art. 21(1)), and the cards already past their last valid day; and the daily sweep's
/// rule for recording an expiry. Days are Vietnam's (UTC+7), as <see cref="CardExpiry"/> judges them.
/// </summary>
public static class CardsDue
{
    /// <summary>The age from which a card is compulsory (Art. 19(1)).</summary>
    public const int CompulsoryAge = 14;

    /// <summary>
    /// The longest look-ahead of a list: a year. Renewal milestones are years apart, so a longer window lists people a
    /// desk cannot act on yet, and it bounds the range a page reads.
    /// </summary>
    public const int MaxWithinDays = 366;

    /// <summary>The look-ahead when none is given: a month, about how long ahead an office invites people.</summary>
    public const int DefaultWithinDays = 30;

    /// <summary>Who records an expiry in a card's steps and in the holder's history: the daily sweep, not a person.</summary>
    public static readonly Actor SweepActor = new("card-expiry-sweep", ActorRole.CentralAdministrator, null);

    /// <summary>The wire names of the lists.</summary>
    public static IReadOnlyDictionary<string, CardDueList> ListNames { get; } = new Dictionary<string, CardDueList>(StringComparer.Ordinal)
    {
        ["firstCard"] = CardDueList.FirstCard,
        ["expiring"] = CardDueList.Expiring,
        ["expired"] = CardDueList.Expired,
    };

    /// <summary>The wire name of <paramref name="list"/>.</summary>
    public static string NameOf(CardDueList list) => ListNames.Single(pair => pair.Value == list).Key;

    /// <summary>
    /// The latest birth date of a person who is <paramref name="age"/> on <paramref name="day"/>: whoever was born on or
    /// before it has had that birthday by then. A person born on 29 February has it on 28 February in a year without one
    /// (Civil Code 2015, Art. 148; <see cref="CardExpiry.AgeOn"/>), so on 28 February of such a year the bound is 29 February.
    /// </summary>
    public static DateOnly LatestBirthDateAged(int age, DateOnly day)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(age);
        var bound = day.AddYears(-age);
        var next = bound.AddDays(1);
        return CardExpiry.AgeOn(next, day) >= age ? next : bound;
    }

    /// <summary>The day a person born on <paramref name="birthDate"/> turns 14: from then on a card is compulsory.</summary>
    public static DateOnly CompulsoryFrom(DateOnly birthDate) => birthDate.AddYears(CompulsoryAge);

    /// <summary>What is wrong with a window of <paramref name="within"/> days, or null.</summary>
    public static string? WithinError(int within) => within is >= 0 and <= MaxWithinDays
        ? null
        : $"The window is 0 to {MaxWithinDays} days after the day asked about; {DefaultWithinDays} when omitted.";

    /// <summary>
    /// Reads a cursor <paramref name="text"/> of <paramref name="list"/> (<see cref="CardDueCursor.ToString"/>): a day, a
    /// colon and a personal ID number (first cards) or a document number (cards).
    /// </summary>
    public static bool TryParseCursor(CardDueList list, string text, out CardDueCursor? cursor, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        cursor = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !DateOnly.TryParseExact(text[..colon], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            error = "A page's position is the next value of the page before, e.g. 2012-03-04:079212345678.";
            return false;
        }

        var key = text[(colon + 1)..];
        var valid = list == CardDueList.FirstCard
            ? PersonalIdNumber.TryParse(key, out _, out error)
            : DocumentNumber.TryParse(key, out _, out error);
        if (!valid)
        {
            return false;
        }

        cursor = new CardDueCursor(day, key);
        return true;
    }

    /// <summary>The operation id of a card's expiry: one per card, so a sweep repeated on any day records it once.</summary>
    public static string ExpiryOperationId(DocumentNumber card) => $"card-expiry:{card}";

    /// <summary>
    /// The expiry to record for card <paramref name="card"/> of a person whose cards are <paramref name="cards"/>, at
    /// <paramref name="now"/>; null when there is none to record: the card is not the person's current one (renewed or
    /// replaced meanwhile), it is no longer stored as issued (lost, revoked, recorded expired already), or it has not yet
    /// passed its last valid day on Vietnam's calendar.
    /// </summary>
    public static CardTransition? ExpiryToRecord(PersonCards cards, DocumentNumber card, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cards);
        return cards.Current is { State: CardState.Issued } current && current.DocumentNumber == card && CardExpiry.HasExpired(current.ExpiresOn, now)
            ? new CardTransition(CardStepKind.Expiry, ExpiryOperationId(card), now, SweepActor)
            : null;
    }
}
