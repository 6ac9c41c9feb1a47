using Registry.LoadTests.Planning;

namespace Registry.Unit.Tests.LoadTests;

/// <summary>
/// The retries of the checks after a load run: a check whose calls time out (a cold cluster) is asked again within a
/// bound, and one that never answers ends as a failure to report, never as an exception that ends the generator
/// before it writes its report.
/// </summary>
public sealed class BoundedTests
{
    /// <summary>Calls that time out and then answer give the answer.</summary>
    [Fact]
    public async Task A_check_that_times_out_at_first_is_asked_again_until_it_answers()
    {
        var calls = 0;
        var result = await Bounded.UntilAsync(
            _ => ++calls < 3 ? throw new TimeoutException("cold shard") : Task.FromResult(42), static _ => true, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(result.Done);
        Assert.Equal(42, result.Last);
        Assert.Equal(3, result.Attempts);
    }

    /// <summary>A check that always times out ends, past its bound, as not done with the last exception, and throws nothing.</summary>
    [Fact]
    public async Task A_check_that_always_times_out_is_reported_as_failed_not_thrown()
    {
        var result = await Bounded.UntilAsync<int>(
            _ => throw new TimeoutException("never answers"), static _ => true, TimeSpan.FromMilliseconds(600), CancellationToken.None);

        Assert.False(result.Done);
        Assert.IsType<TimeoutException>(result.LastFailure);
        Assert.True(result.Attempts >= 2);
    }

    /// <summary>An answer that is not yet the awaited one (drift still settling) is asked again, and the last one is kept.</summary>
    [Fact]
    public async Task An_answer_not_yet_awaited_is_asked_again_and_the_last_is_kept()
    {
        var drift = 3;
        var result = await Bounded.UntilAsync(_ => Task.FromResult(drift--), static found => found == 0, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(result.Done);
        Assert.Equal(0, result.Last);
        Assert.Equal(4, result.Attempts);
    }
}
