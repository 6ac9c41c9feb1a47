namespace Registry.Domain.Identity.Cards;

/// <summary>
/// When an identity card expires (Law on Identification 26/2023 Art. 21): a card is renewed when its holder turns 14, 25,
/// 40 and 60, so it is valid until the next of those birthdays after its issue; a card issued within the 2 years before
/// one of them stays valid until the one after (Art. 21(2)); a card issued at 60 or later does not expire. Chip cards
/// issued before the law took effect (1 July 2024) keep the expiry printed on them (Art. 46(1)).
/// </summary>
public static class CardExpiry
{
    /// <summary>The ages at which a card is renewed.</summary>
    public static IReadOnlyList<int> Milestones { get; } = [14, 25, 40, 60];

    /// <summary>The day Law 26/2023 took effect: cards issued before it keep their printed expiry.</summary>
    public static readonly DateOnly LawInForce = new(2024, 7, 1);

    /// <summary>How long before a milestone a new card already counts for it (Art. 21(2)).</summary>
    public const int GraceYears = 2;

    /// <summary>
    /// The last day a card issued on <paramref name="issuedOn"/> to a person born on <paramref name="birthDate"/> is
    /// valid: the birthday of the milestone it runs to, or null when it does not expire. A card is valid through that
    /// birthday, the day printed on it, and expired from the next. A person born on 29 February turns a year older on 28
    /// February in a year without one: a period whose last month lacks the day ends on that month's last day (Civil Code
    /// 2015, Art. 148), which is also what <see cref="DateOnly.AddYears"/> does.
    /// </summary>
    public static DateOnly? ExpiresOn(DateOnly birthDate, DateOnly issuedOn)
    {
        if (issuedOn < birthDate)
        {
            throw new ArgumentOutOfRangeException(nameof(issuedOn), issuedOn, "A card is not issued before its holder's birth.");
        }

        foreach (var age in Milestones)
        {
            var birthday = birthDate.AddYears(age);
            if (issuedOn < birthday.AddYears(-GraceYears))
            {
                return birthday;
            }
        }

        // Issued at 58 or later: within 2 years before 60, or past it; either way for life.
        return null;
    }

    /// <summary>
    /// The expiry of a card as the registry records it: computed by the law for a card issued from 1 July 2024, the
    /// printed one (null: "không thời hạn", no expiry) for a chip card imported from before.
    /// </summary>
    public static DateOnly? ExpiresOn(DateOnly birthDate, DateOnly issuedOn, DateOnly? printedExpiry) =>
        issuedOn < LawInForce ? printedExpiry : ExpiresOn(birthDate, issuedOn);

    /// <summary>Whether a card valid through <paramref name="expiresOn"/> has expired at <paramref name="now"/>, judged on Vietnam's calendar (UTC+7).</summary>
    public static bool HasExpired(DateOnly? expiresOn, DateTimeOffset now) =>
        expiresOn is { } last && DateOnly.FromDateTime(now.ToOffset(VietnamCalendar.Offset).DateTime) > last;

    /// <summary>The person's age in whole years on <paramref name="day"/> (a 29 February birthday counts on 28 February in other years).</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly day)
    {
        var age = day.Year - birthDate.Year;
        return birthDate.AddYears(age) > day ? age - 1 : age;
    }
}
