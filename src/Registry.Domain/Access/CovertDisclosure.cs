namespace Registry.Domain.Access;

/// <summary>
/// When a person sees an access stated with a covert purpose (<see cref="AccessPurpose.Covert"/>) in their access log:
/// once a central administrator has released the investigation's entries, or once the hiding period after the access has
/// passed, whichever comes first. Until then the entry is left out entirely, not shown blurred: even "someone looked at
/// you" would warn a suspect.
/// </summary>
public static class CovertDisclosure
{
    /// <summary>The hiding period when none is configured: a year, the span of most investigations' first phase.</summary>
    public static TimeSpan DefaultHidingPeriod { get; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Whether an access at <paramref name="accessedAt"/> under <paramref name="purpose"/> is shown in the person's log
    /// at <paramref name="now"/>; <paramref name="releasedAt"/> is the first release of its investigation's entries made
    /// at or after the access, if any.
    /// </summary>
    public static bool IsShown(AccessPurpose? purpose, DateTimeOffset accessedAt, DateTimeOffset? releasedAt, DateTimeOffset now, TimeSpan hidingPeriod) =>
        purpose is not { Covert: true }
        || releasedAt is { } released && released >= accessedAt && released <= now
        || now >= HiddenUntil(accessedAt, hidingPeriod);

    /// <summary>The instant a covert access at <paramref name="accessedAt"/> appears without a release.</summary>
    public static DateTimeOffset HiddenUntil(DateTimeOffset accessedAt, TimeSpan hidingPeriod) => accessedAt + hidingPeriod;

    /// <summary>
    /// The latest access time that <paramref name="now"/> shows without a release: the bound a query of the log compares
    /// with, so that it applies <see cref="IsShown"/> in SQL.
    /// </summary>
    public static DateTimeOffset ShownWithoutReleaseUpTo(DateTimeOffset now, TimeSpan hidingPeriod) => now - hidingPeriod;

    /// <summary>
    /// Whether the log shows the note of an access under <paramref name="purpose"/>. Never for a covert purpose, even
    /// after release: the note is the investigators' case reference, which can name other suspects, witnesses or sources;
    /// the person learns who looked, when, which fields and the published purpose, not the file.
    /// </summary>
    public static bool ShowsNote(AccessPurpose? purpose) => purpose is not { Covert: true };
}
