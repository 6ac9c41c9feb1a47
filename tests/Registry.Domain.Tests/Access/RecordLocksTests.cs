using Registry.Contracts.Access;
using Registry.Domain.Access;

namespace Registry.Domain.Tests.Access;

/// <summary>A person's lock shuts partners out while locked and after an open window ends; what a person may set.</summary>
public sealed class RecordLocksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    /// <summary>Whether partners are shut out, at instants around a window's end (the end itself included).</summary>
    [Theory]
    [InlineData(RecordLockState.Unlocked, null, 0, false)]
    [InlineData(RecordLockState.Locked, null, 0, true)]
    [InlineData(RecordLockState.Open, 60, 0, false)]
    [InlineData(RecordLockState.Open, 60, 59, false)]
    [InlineData(RecordLockState.Open, 60, 60, true)]
    [InlineData(RecordLockState.Open, 60, 61, true)]
    public void Partners_are_shut_out_while_locked_and_once_a_window_ends(RecordLockState state, int? windowMinutes, int minutesLater, bool shutOut)
    {
        var recordLock = new RecordLock(state, windowMinutes is { } minutes ? Now.AddMinutes(minutes) : null, Now);

        Assert.Equal(shutOut, RecordLocks.ShutsOutPartners(recordLock, Now.AddMinutes(minutesLater)));
    }

    /// <summary>A record never locked lets partners through.</summary>
    [Fact]
    public void A_record_never_locked_lets_partners_through() => Assert.False(RecordLocks.ShutsOutPartners(RecordLock.Never, Now));

    /// <summary>Each state a person may set, stamped with the instant they set it.</summary>
    [Theory]
    [InlineData("locked", null, RecordLockState.Locked)]
    [InlineData("unlocked", null, RecordLockState.Unlocked)]
    [InlineData("open", 120, RecordLockState.Open)]
    public void A_person_sets_a_lock(string state, int? windowMinutes, RecordLockState expected)
    {
        var until = windowMinutes is { } minutes ? Now.AddMinutes(minutes) : (DateTimeOffset?)null;

        var (recordLock, errors) = RecordLocks.Decide(state, until, Now);

        Assert.Empty(errors);
        Assert.Equal(new RecordLock(expected, until, Now), recordLock);
    }

    /// <summary>A bad state or window is refused naming the field.</summary>
    [Theory]
    [InlineData(null, null, "state")]
    [InlineData("Locked", null, "state")]
    [InlineData("frozen", null, "state")]
    [InlineData("open", null, "openUntil")]
    [InlineData("open", 0, "openUntil")]
    [InlineData("open", -5, "openUntil")]
    [InlineData("open", 30 * 24 * 60 + 1, "openUntil")]
    [InlineData("locked", 60, "openUntil")]
    public void A_bad_lock_is_refused_naming_the_field(string? state, int? windowMinutes, string field)
    {
        var (recordLock, errors) = RecordLocks.Decide(state, windowMinutes is { } minutes ? Now.AddMinutes(minutes) : null, Now);

        Assert.Null(recordLock);
        Assert.Equal(field, Assert.Single(errors).Field);
    }
}
