using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts.Provinces;
using Registry.Domain;
using Registry.Domain.Provinces;

namespace Registry.Grains.ResidenceSweep;

/// <summary>Starts each day's residence sweeps: one reminder for the registry.</summary>
public interface IResidenceSweepSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the daily reminder is registered; every silo calls it when it starts.</summary>
    Task StartAsync();

    /// <summary>Runs the sweep of every current province for <paramref name="day"/>; returns how many residents were flagged.</summary>
    Task<long> SweepAsync(DateOnly day);
}

/// <summary>How often the residence sweep runs; bound from the silo's <c>ResidenceSweep</c> configuration section.</summary>
public sealed class ResidenceSweepOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ResidenceSweep";

    /// <summary>The reminder's period: a day; a province's sweep of a day runs once however often it fires.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Once a day runs <see cref="IResidenceSweepGrain"/> for each current province (the units after the reorganisation
/// plans accepted so far), a few at a time.
/// </summary>
public sealed partial class ResidenceSweepSchedulerGrain(IOptions<ResidenceSweepOptions> options, TimeProvider time, ILogger<ResidenceSweepSchedulerGrain> logger)
    : Grain, IResidenceSweepSchedulerGrain, IRemindable
{
    private const string ReminderName = "daily";

    /// <inheritdoc />
    public async Task StartAsync() => await this.RegisterOrUpdateReminder(ReminderName, options.Value.Period, options.Value.Period);

    /// <inheritdoc />
    public async Task<long> SweepAsync(DateOnly day)
    {
        var units = ProvinceUnits.After(await GrainFactory.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync());
        var flagged = 0L;
        await Parallel.ForEachAsync(units.Current, new ParallelOptions { MaxDegreeOfParallelism = 4, TaskScheduler = TaskScheduler.Current }, async (province, _) =>
            Interlocked.Add(ref flagged, await GrainFactory.GetGrain<IResidenceSweepGrain>(ResidenceSweepGrain.Key(province, day)).RunAsync()));
        LogSwept(logger, day, units.Current.Count, flagged);
        return flagged;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync(VietnamCalendar.Today(time));

    [LoggerMessage(Level = LogLevel.Information, Message = "Residence sweep of {Day}: {Provinces} province(s), {Flagged} resident(s) flagged for deletion of their permanent residence")]
    private static partial void LogSwept(ILogger logger, DateOnly day, int provinces, long flagged);
}
