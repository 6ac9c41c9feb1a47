using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts;
using Registry.Database.Resumption;
using Registry.Grains.PagedWork;

namespace Registry.Grains.Resumption;

/// <summary>The sweep of unfinished work: one reminder for the whole cluster, not one per citizen.</summary>
public interface IUnfinishedWorkSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweep's reminder is registered; every silo calls it when it starts.</summary>
    Task StartAsync();

    /// <summary>Wakes the citizens marked for longer than the grace period; returns how many.</summary>
    Task<int> SweepAsync();
}

/// <summary>
/// Wakes citizens that stored a change and did not finish its effects (a silo crashed in between, or PostgreSQL or a
/// province was unavailable) when nobody calls them again. Each woken citizen finishes on activation or in
/// <c>ResumeAsync</c>; the effects are idempotent, so waking a citizen that is already done is harmless.
/// </summary>
public sealed partial class UnfinishedWorkSweeperGrain(
    UnfinishedWork unfinished,
    IOptions<UnfinishedWorkOptions> options,
    TimeProvider time,
    ILogger<UnfinishedWorkSweeperGrain> logger)
    : Grain, IUnfinishedWorkSweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";

    // Enough in flight to keep the silos busy, few enough not to crowd out interactive requests.
    private const int ConcurrentWakes = 32;

    /// <inheritdoc />
    public async Task StartAsync() =>
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.SweepPeriod, options.Value.SweepPeriod);

    /// <inheritdoc />
    public async Task<int> SweepAsync()
    {
        var settings = options.Value;
        var marked = await unfinished.ListMarkedBeforeAsync(time.GetUtcNow() - settings.GracePeriod, settings.MaxPerSweep);
        var woken = await FanOut.RunAsync(marked, ConcurrentWakes, async number =>
        {
            try
            {
                await GrainFactory.Citizen(number).ResumeAsync();
                return true;
            }
#pragma warning disable CA1031 // One citizen failing must not stop the sweep; the next one tries it again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogWakeFailed(logger, exception, number.Value);
                return false;
            }
        });

        if (marked.Length > 0)
        {
            var failed = woken.Count(static wasWoken => !wasWoken);
            LogSwept(logger, marked.Length, failed);
        }

        return marked.Length;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Count} citizen(s) with unfinished changes; {Failed} still failing")]
    private static partial void LogSwept(ILogger logger, int count, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking citizen {PersonalIdNumber} to finish its change failed")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string personalIdNumber);
}
