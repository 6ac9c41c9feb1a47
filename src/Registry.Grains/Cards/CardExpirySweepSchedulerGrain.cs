using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Domain;
using Registry.Contracts;
using Registry.Contracts.Cards;
using Registry.Contracts.Provinces;
using Registry.Grains.PagedWork;

namespace Registry.Grains.Cards;

/// <summary>Starts each day's card expiry sweeps: one reminder for the registry.</summary>
public interface ICardExpirySweepSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the daily reminder is registered; every silo calls it when it starts.</summary>
    Task StartAsync();

    /// <summary>Starts the sweep of every province code cards carry for <paramref name="day"/>; returns how many provinces.</summary>
    Task<int> SweepAsync(DateOnly day);
}

/// <summary>
/// Once a day starts <see cref="ICardExpirySweepGrain"/> for every province code of 2024. A card keeps the code of the
/// office that took its application, and a card applied for before the 2025 merger keeps an absorbed unit's code until
/// it is replaced, so the sweeps cover the 63 codes, not only the 34 current units; a code without cards costs one empty
/// page. Each sweep goes on by itself in pages, so the daily reminder returns in moments.
/// </summary>
public sealed partial class CardExpirySweepSchedulerGrain(IOptions<CardExpirySweepOptions> options, TimeProvider time, ILogger<CardExpirySweepSchedulerGrain> logger)
    : Grain, ICardExpirySweepSchedulerGrain, IRemindable
{
    private const string ReminderName = "daily";

    /// <inheritdoc />
    public async Task StartAsync() => await this.RegisterOrUpdateReminder(ReminderName, options.Value.Period, options.Value.Period);

    /// <inheritdoc />
    public async Task<int> SweepAsync(DateOnly day)
    {
        var progress = await FanOut.RunAsync([.. ProvinceCatalog.All2024.Select(static unit => unit.Code)], 4,
            province => GrainFactory.CardExpirySweep(province, day).StartAsync());
        var done = progress.Count(static sweep => sweep.Done);
        LogStarted(logger, day, progress.Length, done);
        return progress.Length;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync(VietnamCalendar.Today(time));

    [LoggerMessage(Level = LogLevel.Information, Message = "Card expiry sweep of {Day} started in {Provinces} province(s), {Done} of them done already")]
    private static partial void LogStarted(ILogger logger, DateOnly day, int provinces, int done);
}
