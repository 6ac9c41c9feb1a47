using Registry.LoadTests.Planning;

namespace Registry.Unit.Tests.LoadTests;

/// <summary>
/// The time a fault cost, as the chaos variants of <c>mass-migration</c> report it, over synthetic time lines: the first
/// second with a success after the fault, and the end of the first 5 s window whose average is back to 80 % of the rate
/// before the fault.
/// </summary>
public sealed class RecoveryTests
{
    /// <summary>10/s from second 2, the fault at 10.4, nothing for 4 s, then 2/s and 9/s: first success at 14, back at 19.</summary>
    [Fact]
    public void A_fault_followed_by_silence_and_a_slow_return_is_measured_from_the_fault()
    {
        long[] succeeded = [0, 0, 10, 10, 10, 10, 10, 10, 10, 10, 3, 0, 0, 0, 2, 9, 9, 9, 9, 9, 10, 10];
        long[] failed = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 6, 6, 6, 1, 0, 0, 0, 0, 0, 0, 0];

        var recovery = Recovery.Compute(succeeded, failed, trafficStart: 2, faultSecond: 10.4);

        Assert.Equal(10, recovery.RateBefore);
        Assert.Equal(10, recovery.FirstSuccess);
        Assert.Equal(0, recovery.ToFirstSuccess);
        // The window 14..18 averages 7.6/s, short of 8; 15..19 averages 9/s.
        Assert.Equal(19, recovery.BackToRate);
        Assert.Equal(10, recovery.ToEarlierRate);
        Assert.Equal(23, recovery.FailedUntilRecovered);
    }

    /// <summary>A fault after which nothing succeeds again has neither a first success nor a return, and counts every failure after it.</summary>
    [Fact]
    public void A_fault_the_traffic_never_comes_back_from_has_no_recovery()
    {
        long[] succeeded = [5, 5, 5, 5, 0, 0, 0, 0, 0, 0];
        long[] failed = [0, 0, 0, 0, 2, 2, 2, 2, 2, 2];

        var recovery = Recovery.Compute(succeeded, failed, trafficStart: 0, faultSecond: 4);

        Assert.Null(recovery.FirstSuccess);
        Assert.Null(recovery.ToEarlierRate);
        Assert.Equal(12, recovery.FailedUntilRecovered);
    }

    /// <summary>A fault the traffic does not notice (a silo added) is recovered at once: the first whole window after it holds the rate, so 5 s is the floor of the measure.</summary>
    [Fact]
    public void A_fault_without_a_dip_recovers_in_the_first_window()
    {
        long[] succeeded = [8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8];

        var recovery = Recovery.Compute(succeeded, new long[12], trafficStart: 0, faultSecond: 5);

        Assert.Equal(5, recovery.FirstSuccess);
        Assert.Equal(9, recovery.BackToRate);
        Assert.Equal(5, recovery.ToEarlierRate);
        Assert.Equal(0, recovery.FailedUntilRecovered);
    }
}
