using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Database.Residents;
using Registry.Domain.Residents;
using Registry.Grains.PagedWork;

namespace Registry.Grains.ResidenceSweep;

/// <summary>The residence sweep of one province on one day, keyed <c>{province code}/{yyyy-MM-dd}</c>.</summary>
public interface IResidenceSweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts flagging every resident away too long on the day, unless it was started before: once per province and
    /// day, however often it is called. Answers at once with where the sweep stands; it goes on in pages.
    /// </summary>
    Task<ResidenceSweepProgress> StartAsync();

    /// <summary>Where the sweep stands.</summary>
    [ReadOnly]
    Task<ResidenceSweepProgress> GetProgressAsync();
}

/// <summary>Where a province's sweep of a day stands.</summary>
/// <param name="Done">True once a pass found nobody left to flag.</param>
/// <param name="Flagged">Residents flagged so far.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidenceSweepProgress")]
public sealed record ResidenceSweepProgress([property: Id(0)] bool Done, [property: Id(1)] long Flagged);

/// <summary>Stored state of a province's sweep of a day.</summary>
public sealed record ResidenceSweepState
{
    /// <summary>True once a pass found nobody left to flag.</summary>
    public bool Done { get; init; }

    /// <summary>Residents flagged.</summary>
    public long Flagged { get; init; }

    /// <summary>The last number of the pass so far.</summary>
    public PersonalIdNumber? After { get; init; }
}

/// <summary>
/// Flags, for one province and day, every living resident whose last registration away (temporary residence elsewhere,
/// declared absence) ended more than 12 months before the day (Law on Residence 68/2020 Art. 24). A
/// <see cref="PagedRun"/>: each page takes the next candidates from the read model and stores its place; each citizen
/// decides for itself, so a person who registered again meanwhile is left alone and a repeated page flags nobody twice.
/// Per province and day, not a reminder per person: 34 small sweeps a day for the country.
/// </summary>
public sealed partial class ResidenceSweepGrain(
    [PersistentState(RegistryStorage.ResidenceSweepState, RegistryStorage.Name)] IPersistentState<ResidenceSweepState> state,
    ResidentCensus census,
    IOptions<ResidenceSweepOptions> options,
    ILogger<ResidenceSweepGrain> logger)
    : Grain, IResidenceSweepGrain, IRemindable
{
    private const string ReminderName = "sweep";
    private const int PageSize = 1_000;

    // Citizens flagged at once: a sweep runs beside the day's traffic and needs no hurry.
    private const int Concurrency = 32;

    private PagedRun? _run;

    private PagedRun Run => _run ??= new PagedRun(this, ReminderName, PagedRun.ShortPause, options.Value.ReminderPeriod, NextPageAsync);

    private ResidenceSweepProgress Progress => new(state.State.Done, state.State.Flagged);

    /// <inheritdoc />
    public async Task<ResidenceSweepProgress> StartAsync()
    {
        if (!state.State.Done)
        {
            await Run.StartAsync();
        }

        return Progress;
    }

    /// <inheritdoc />
    public Task<ResidenceSweepProgress> GetProgressAsync() => Task.FromResult(Progress);

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => state.State.Done ? Run.StopAsync() : Run.StartAsync();

    /// <summary>The key of the sweep of <paramref name="provinceCode"/> on <paramref name="day"/>.</summary>
    public static string Key(string provinceCode, DateOnly day) => $"{provinceCode}/{day:yyyy-MM-dd}";

    private async Task<PageOutcome> NextPageAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var province = key[..3];
        var day = DateOnly.ParseExact(key[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var endedBefore = day.AddMonths(-TemporaryResidences.MonthsAwayBeforeDeletion);
        var page = await census.ListAwayBeforeAsync(province, endedBefore, state.State.After, PageSize, cancellationToken);
        var flagged = (await FanOut.RunAsync(page, Concurrency, number => GrainFactory.Citizen(number).FlagIfAwayTooLongAsync($"residence-sweep:{key}", day)))
            .LongCount(static wasFlagged => wasFlagged);

        state.State = state.State with { Flagged = state.State.Flagged + flagged, After = page.Length > 0 ? page[^1] : null, Done = page.Length < PageSize };
        await state.WriteStateAsync(cancellationToken);
        if (!state.State.Done)
        {
            return PageOutcome.More;
        }

        LogSwept(logger, province, day, state.State.Flagged);
        return PageOutcome.Finished;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Residence sweep of {ProvinceCode} on {Day}: {Flagged} resident(s) flagged for deletion of their permanent residence")]
    private static partial void LogSwept(ILogger logger, string provinceCode, DateOnly day, long flagged);
}
