using Registry.Contracts;
using Registry.Contracts.Access;

namespace Registry.Domain.Access;

/// <summary>
/// The rules of a person's lock against partners (issue 11, part 6): which lock a request sets, and whether a lock
/// shuts partners out at a given instant. Pure; the citizen grain asks with its clock.
/// </summary>
public static class RecordLocks
{
    /// <summary>
    /// The longest window a person may open: long enough for a bank account or a loan to be approved, short enough that
    /// a forgotten window closes by itself. Longer is an unlock, which the person can say.
    /// </summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(30);

    /// <summary>The wire names of the states, as <c>PUT /me/lock</c> takes them.</summary>
    public static IReadOnlyDictionary<string, RecordLockState> StateNames { get; } = new Dictionary<string, RecordLockState>(StringComparer.Ordinal)
    {
        ["unlocked"] = RecordLockState.Unlocked,
        ["locked"] = RecordLockState.Locked,
        ["open"] = RecordLockState.Open,
    };

    /// <summary>The wire name of <paramref name="state"/>.</summary>
    public static string NameOf(RecordLockState state) => StateNames.Single(name => name.Value == state).Key;

    /// <summary>
    /// The lock a person sets at <paramref name="now"/>, or every field that is wrong: a state that is not one of
    /// <see cref="StateNames"/>; a window (<c>open</c>) without an end, ending now or before, or longer than
    /// <see cref="LongestWindow"/>; an end given with another state.
    /// </summary>
    public static (RecordLock? Lock, FieldError[] Errors) Decide(string? state, DateTimeOffset? openUntil, DateTimeOffset now)
    {
        if (state is null || !StateNames.TryGetValue(state, out var parsed))
        {
            return (null, [new FieldError("state", $"The state is one of {string.Join(", ", StateNames.Keys)}.")]);
        }

        var error = (parsed, openUntil) switch
        {
            (RecordLockState.Open, null) => "Give the end of the window: a timestamp with its offset, e.g. 2026-03-01T17:00:00+07:00.",
            (RecordLockState.Open, { } end) when end <= now => "The window must end in the future.",
            (RecordLockState.Open, { } end) when end - now > LongestWindow => $"A window lasts at most {LongestWindow.TotalDays:0} days; unlock the record for longer.",
            (not RecordLockState.Open, not null) => "Only an open window has an end; leave it out.",
            _ => null,
        };
        return error is null ? (new RecordLock(parsed, openUntil, now), []) : (null, [new FieldError("openUntil", error)]);
    }

    /// <summary>
    /// Whether partners get "locked" at <paramref name="now"/>: while locked, and once an open window has ended (the
    /// instant of its end included). A lock never set lets them through.
    /// </summary>
    public static bool ShutsOutPartners(RecordLock recordLock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(recordLock);
        return recordLock.State switch
        {
            RecordLockState.Unlocked => false,
            RecordLockState.Locked => true,
            RecordLockState.Open => recordLock.OpenUntil is not { } end || now >= end,
            _ => true,
        };
    }
}
