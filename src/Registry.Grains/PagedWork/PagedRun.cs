namespace Registry.Grains.PagedWork;

/// <summary>What a page of a <see cref="PagedRun"/> leaves behind.</summary>
public enum PageOutcome
{
    /// <summary>The page's progress is stored and there is more to do: the next tick runs the next page.</summary>
    More,

    /// <summary>Nothing is left: the run stops its timer and removes its reminder.</summary>
    Finished,
}

/// <summary>
/// The one shape of long work in a grain (a reorganisation, a residence sweep, a batch): one page per grain-timer tick,
/// the page stores its own progress before it returns, and a reminder kept while the run lasts brings the grain back
/// after its silo dies, to start ticking again from the stored progress. Ticks are turns like calls (not interleaved),
/// so pages never overlap each other or a call, and a grain answers its callers between pages instead of holding them
/// for the whole run, which would outlast the 30 s response timeout. The timer keeps the activation alive while it
/// ticks; once idle, the activation may go and the reminder is what remains.
/// </summary>
/// <param name="clock">The grain's reminder and timer.</param>
/// <param name="reminderName">The reminder's name, unique within the grain.</param>
/// <param name="pause">Time between the end of one page and the start of the next.</param>
/// <param name="reminderPeriod">How often the reminder fires while the run lasts: the longest a lost run waits.</param>
/// <param name="nextPageAsync">Runs one page and stores its progress.</param>
public sealed class PagedRun(IRunClock clock, string reminderName, TimeSpan pause, TimeSpan reminderPeriod, Func<CancellationToken, Task<PageOutcome>> nextPageAsync)
{
    /// <summary>Pause between pages of runs that have no option for it: short, only to let calls in between pages.</summary>
    public static readonly TimeSpan ShortPause = TimeSpan.FromMilliseconds(10);

    private IDisposable? _timer;
    private bool _reminderKept;

    /// <summary>A run on a grain's own reminder and timer.</summary>
    public PagedRun(IGrainBase grain, string reminderName, TimeSpan pause, TimeSpan reminderPeriod, Func<CancellationToken, Task<PageOutcome>> nextPageAsync)
        : this(new GrainRunClock(grain), reminderName, pause, reminderPeriod, nextPageAsync)
    {
    }

    /// <summary>True while this activation ticks.</summary>
    public bool IsTicking => _timer is not null;

    /// <summary>
    /// Registers the reminder, once per activation. Call it before storing anything that says the run has started:
    /// from then on something must always bring the run back. A run waiting for its day keeps only the reminder.
    /// </summary>
    public async Task KeepReminderAsync()
    {
        if (!_reminderKept)
        {
            await clock.KeepReminderAsync(reminderName, reminderPeriod);
            _reminderKept = true;
        }
    }

    /// <summary>Keeps the reminder and starts ticking, unless this activation ticks already; the first page runs after the current turn.</summary>
    public async Task StartAsync()
    {
        await KeepReminderAsync();
        _timer ??= clock.StartTimer(TickAsync, pause);
    }

    /// <summary>Stops ticking and removes the reminder: the run is over (or was never to run).</summary>
    public async Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        await clock.DropReminderAsync(reminderName);
        _reminderKept = false;
    }

    /// <summary>
    /// One tick: the next page, then stop if it was the last. A page that throws stored nothing; the timer goes on and
    /// the next tick tries the same page again (Orleans logs the failure and keeps the timer).
    /// </summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (await nextPageAsync(cancellationToken) == PageOutcome.Finished)
        {
            await StopAsync();
        }
    }
}
