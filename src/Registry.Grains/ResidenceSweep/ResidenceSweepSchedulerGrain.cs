using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Registry.Contracts.Provinces;
using Registry.Domain.Provinces;
using Registry.Domain;
using Registry.Grains.PagedWork;

namespace Registry.Grains.ResidenceSweep;

/// <summary>Starts each day's residence sweeps: one reminder for the registry.</summary>
public interface IResidenceSweepSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the daily reminder is registered; every silo calls it when it starts.</summary>
    Task StartAsync();

    /// <summary>Starts the sweep of every current province for <paramref name="day"/>; returns how many provinces.</summary>
    Task<int> SweepAsync(DateOnly day);
}

/// <summary>
/// Once a day starts <see cref="IResidenceSweepGrain"/> for each current province (the units after the reorganisation
/// plans accepted so far). Each sweep goes on by itself in pages, so the daily reminder returns in moments; a sweep
/// that is under way or done answers a second start with its progress.
/// </summary>
public sealed partial class ResidenceSweepSchedulerGrain(IOptions<ResidenceSweepOptions> options, TimeProvider time, ILogger<ResidenceSweepSchedulerGrain> logger)
    : Grain, IResidenceSweepSchedulerGrain, IRemindable
{
    private const string ReminderName = "daily";

    /// <inheritdoc />
    public async Task StartAsync() => await this.RegisterOrUpdateReminder(ReminderName, options.Value.Period, options.Value.Period);

    /// <inheritdoc />
    public async Task<int> SweepAsync(DateOnly day)
    {
        var units = ProvinceUnits.After(await GrainFactory.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync());
        var progress = await FanOut.RunAsync([.. units.Current], 4, province => GrainFactory.GetGrain<IResidenceSweepGrain>(ResidenceSweepGrain.Key(province, day)).StartAsync());
        var done = progress.Count(static sweep => sweep.Done);
        LogStarted(logger, day, progress.Length, done);
        return progress.Length;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync(VietnamCalendar.Today(time));

    [LoggerMessage(Level = LogLevel.Information, Message = "Residence sweep of {Day} started in {Provinces} province(s), {Done} of them done already")]
    private static partial void LogStarted(ILogger logger, DateOnly day, int provinces, int done);
}
